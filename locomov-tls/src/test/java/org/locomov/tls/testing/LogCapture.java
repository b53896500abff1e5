package org.locomov.tls.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Collects what one class logs, so a test can wait for a refusal's log line. */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        appender.start();
        logger.addAppender(appender);
    }

    /** Formatted messages at {@code level} ("WARN", "INFO" ...), in order. */
    public List<String> messages(String level) {
        // The appender adds to its (plain) list holding its own lock, on the logging thread: read under the same lock.
        synchronized (appender) {
            return appender.list.stream().filter(e -> e.getLevel().toString().equals(level))
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
