package org.locomov.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.locomov.core.command.Command;
import org.locomov.core.command.CommandStatus;
import org.locomov.core.command.ReservedCommands;
import org.locomov.core.session.DeviceDescription;
import org.locomov.core.session.DeviceSessions;
import org.locomov.store.ParticleCloudDevices.View;
import org.locomov.store.PgDeviceDescriptions;

/**
 * Function calls, variable reads and signals of the Particle API as device-plane commands (decision 1021):
 * a function is a command named after it with the argument string as payload, answered with the return value;
 * a variable read and a signal are commands of reserved kinds ({@link ReservedCommands}). Each waits at most
 * {@link #ANSWER_WAIT} for the device, as Particle's cloud does; an offline device is refused at once, with no
 * command left behind to run later.
 *
 * <p>Thread-safe: stateless; the waiting happens on the request's (virtual) thread.
 */
final class ParticleCommands {

    /** How long a call waits for the device; then the client gets "Timed out." and the command expires. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(30);
    /** Particle's limit on a function argument (63 on a Core, 622 later); longer ones are refused here. */
    static final int MAX_ARGUMENT_LENGTH = 622;

    private final CommandRunner runner;
    private final DeviceSessions sessions;
    private final PgDeviceDescriptions descriptions;
    private final ObjectMapper mapper;

    ParticleCommands(CommandRunner runner, DeviceSessions sessions, PgDeviceDescriptions descriptions, ObjectMapper mapper) {
        this.runner = runner;
        this.sessions = sessions;
        this.descriptions = descriptions;
        this.mapper = mapper;
    }

    /** Calls {@code function} with {@code argument}; Particle's answer with {@code return_value}. */
    Map<String, Object> call(View device, String function, String argument, Caller caller) throws InterruptedException {
        if (argument != null && argument.length() > MAX_ARGUMENT_LENGTH) {
            throw ParticleProblem.badRequest("a function argument is at most " + MAX_ARGUMENT_LENGTH + " characters");
        }
        requireOnline(device);
        Optional<DeviceDescription> described = descriptions.findNow(device.deviceId());
        if (described.isPresent() && !described.get().functions().contains(function)) {
            throw ParticleProblem.of(HttpStatus.NOT_FOUND, "Function " + function + " not found", null);
        }
        JsonNode answer = answer(device, runner.run(device.deviceId(), function, json(argument == null ? "" : argument),
                ANSWER_WAIT, caller.subId()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", device.particleId());
        body.put("last_app", "");
        body.put("connected", true);
        body.put("return_value", answer.isNumber() ? answer.numberValue() : answer.asText());
        return body;
    }

    /** Reads {@code variable}; Particle's answer with {@code result}. */
    Map<String, Object> read(View device, String variable, Caller caller) throws InterruptedException {
        if (variable.length() > ReservedCommands.MAX_VARIABLE_LENGTH) {
            throw ParticleProblem.badRequest("a variable name is at most " + ReservedCommands.MAX_VARIABLE_LENGTH + " characters");
        }
        requireOnline(device);
        Optional<DeviceDescription> described = descriptions.findNow(device.deviceId());
        if (described.isPresent() && !described.get().variables().containsKey(variable)) {
            throw ParticleProblem.of(HttpStatus.NOT_FOUND, "Variable not found", null);
        }
        JsonNode answer = answer(device, runner.run(device.deviceId(), ReservedCommands.variableRead(variable), null,
                ANSWER_WAIT, caller.subId()));
        Map<String, Object> coreInfo = new LinkedHashMap<>();
        coreInfo.put("last_app", "");
        coreInfo.put("last_heard", ParticleJson.time(device.lastHeardAt()));
        coreInfo.put("connected", true);
        coreInfo.put("deviceID", device.particleId());
        coreInfo.put("product_id", ParticleJson.CORE_PLATFORM_ID);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cmd", "VarReturn");
        body.put("name", variable);
        body.put("result", answer);
        body.put("coreInfo", coreInfo);
        return body;
    }

    /** Starts or stops the device's signal. */
    void signal(View device, boolean on, Caller caller) throws InterruptedException {
        requireOnline(device);
        answer(device, runner.run(device.deviceId(), on ? ReservedCommands.SIGNAL_ON : ReservedCommands.SIGNAL_OFF, null,
                ANSWER_WAIT, caller.subId()));
    }

    private void requireOnline(View device) {
        if (!sessions.isOnline(device.deviceId())) {
            throw ParticleProblem.of(HttpStatus.BAD_REQUEST, "Device is offline",
                    "device " + device.particleId() + " is not connected");
        }
    }

    /** The device's answer, or Particle's error for a failed or unanswered command. */
    private JsonNode answer(View device, Command command) {
        if (command.status() == CommandStatus.ANSWERED) {
            return parse(command.responseJson());
        }
        if (command.status() == CommandStatus.FAILED) {
            JsonNode reason = parse(command.responseJson());
            throw ParticleProblem.of(HttpStatus.BAD_REQUEST, reason.isTextual() ? reason.asText() : reason.toString(),
                    "device " + device.particleId() + " could not do " + command.name());
        }
        throw ParticleProblem.of(HttpStatus.REQUEST_TIMEOUT, "Timed out.",
                "device " + device.particleId() + " did not answer " + command.name() + " within " + ANSWER_WAIT.toSeconds() + " s");
    }

    private JsonNode parse(String json) {
        if (json == null) {
            return mapper.nullNode();
        }
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return mapper.getNodeFactory().textNode(json);
        }
    }

    private String json(String text) {
        try {
            return mapper.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string is always JSON", e);
        }
    }
}
