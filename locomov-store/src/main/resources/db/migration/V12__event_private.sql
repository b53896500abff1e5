-- Whether a device event is private (issue 10, decision 1541): a private event reaches only its owner's devices,
-- a public one (a Particle device's public publish) any device subscribed to every device's events. Events
-- stored before are taken as private, the safe side; transports without the flag publish private events.
ALTER TABLE event ADD COLUMN private boolean NOT NULL DEFAULT true;
