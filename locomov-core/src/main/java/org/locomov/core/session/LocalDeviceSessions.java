package org.locomov.core.session;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The device sessions open on this node, and nothing else: no commands are dispatched and no other node is
 * asked. Enough for a transport tested on its own, and the local registry a cross-node implementation keeps.
 *
 * <p>Thread-safe: a concurrent map of copy-on-write lists, touched by every transport's event loops.
 */
public final class LocalDeviceSessions implements DeviceSessions {

    private final Map<Long, List<DeviceSession>> open = new ConcurrentHashMap<>();

    @Override
    public SessionHandle open(DeviceSession session) {
        open.computeIfAbsent(session.deviceId(), id -> new CopyOnWriteArrayList<>()).add(session);
        return new SessionHandle() {
            @Override
            public void changed() {
            }

            @Override
            public void close() {
                open.computeIfPresent(session.deviceId(), (id, sessions) -> {
                    sessions.remove(session);
                    return sessions.isEmpty() ? null : sessions;
                });
            }
        };
    }

    @Override
    public boolean isOnline(long deviceId) {
        return open.containsKey(deviceId);
    }

    /** The sessions open for {@code deviceId} now. */
    public List<DeviceSession> sessionsOf(long deviceId) {
        return List.copyOf(open.getOrDefault(deviceId, List.of()));
    }
}
