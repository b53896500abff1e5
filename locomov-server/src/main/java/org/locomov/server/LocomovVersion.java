package org.locomov.server;

import picocli.CommandLine.IVersionProvider;

/** The version written into the jar's manifest at build time ({@code development} when run from classes). */
final class LocomovVersion implements IVersionProvider {

    static String current() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version != null ? version : "development";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"locomov " + current()};
    }
}
