package org.locomov.particle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locomov.core.session.DeviceDescription;

/**
 * What a device's Describe says: its functions and its variables with their types
 * ({@code {"f":["led","add"],"v":{"temp":2,"volts":9,"label":4,"on":1}}}).
 */
public record Description(List<String> functions, Map<String, Integer> variables) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Description {
        functions = List.copyOf(functions);
        variables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }

    /** Parses the Describe payload; an unreadable one describes nothing. */
    public static Description parse(byte[] json) {
        List<String> functions = new ArrayList<>();
        Map<String, Integer> variables = new LinkedHashMap<>();
        try {
            JsonNode root = JSON.readTree(json);
            if (root != null) {
                root.path("f").forEach(function -> functions.add(function.asText()));
                root.path("v").properties().forEach(variable -> variables.put(variable.getKey(), variable.getValue().asInt()));
            }
        } catch (IOException unreadable) {
            // A device that cannot describe itself offers nothing to call.
        }
        return new Description(functions, variables);
    }

    /**
     * This description as the device plane keeps it, each Core variable type (1, 2, 4, 9) named as the Particle
     * API names it; a type the Core protocol does not define is shown as a string, as its value is read.
     */
    public DeviceDescription toDeviceDescription() {
        Map<String, String> typed = new LinkedHashMap<>();
        variables.forEach((name, type) -> typed.put(name, switch (type) {
            case VariableValues.BOOLEAN -> DeviceDescription.BOOLEAN;
            case VariableValues.INT -> DeviceDescription.INT32;
            case VariableValues.DOUBLE -> DeviceDescription.DOUBLE;
            default -> DeviceDescription.STRING;
        }));
        return new DeviceDescription(functions, typed);
    }
}
