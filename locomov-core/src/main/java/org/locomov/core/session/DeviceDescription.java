package org.locomov.core.session;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a connected device says it offers (a Particle Describe): the functions it can be called with (each a
 * command name, DESIGN.md §2) and the variables it can be read for, each with its type as the Particle API
 * names it ({@link #BOOLEAN}, {@link #INT32}, {@link #DOUBLE}, {@link #STRING}).
 *
 * @param functions function names, in the device's order
 * @param variables variable name → type, in the device's order
 */
public record DeviceDescription(List<String> functions, Map<String, String> variables) {

    public static final String BOOLEAN = "bool";
    public static final String INT32 = "int32";
    public static final String DOUBLE = "double";
    public static final String STRING = "string";

    /** Describes nothing: what a device that has not (yet) described itself offers. */
    public static final DeviceDescription NOTHING = new DeviceDescription(List.of(), Map.of());

    public DeviceDescription {
        functions = List.copyOf(functions);
        Objects.requireNonNull(variables, "variables");
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }
}
