# Sourced by ./mvnw and ./locomov: makes JAVA_HOME point at a JDK 21 or newer.
# Order: $JAVA_HOME if it is 21+, then `java` on PATH if it is 21+, then the newest
# JDK 21+ found under the usual install roots. Prints a clear error when there is none.

locomov_java_major() {
  # $1: a java executable. Prints its feature version (17, 21, 25, ...) or nothing.
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

locomov_find_jdk() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(locomov_java_major "$JAVA_HOME/bin/java")
    [ -n "$major" ] && [ "$major" -ge 21 ] && return 0
  fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(locomov_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  fi
  local best="" best_major=0 noglob=0
  case $- in *f*) noglob=1; set +f ;; esac   # mvnw runs with `set -f`
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(locomov_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  [ "$noglob" = 1 ] && set -f
  if [ -n "$best" ]; then
    export JAVA_HOME="$best"
    return 0
  fi
  echo "locomov needs a JDK 21 or newer; none found (checked JAVA_HOME, PATH and /usr/lib/jvm)." >&2
  echo "Install one (for example Debian's openjdk-21-jdk-headless) or set JAVA_HOME." >&2
  return 1
}

locomov_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
