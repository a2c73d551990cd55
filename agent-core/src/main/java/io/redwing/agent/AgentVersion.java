package io.redwing.agent;

/** The agent's version from its jar's manifest; {@code dev} when run from classes (tests). */
public final class AgentVersion {
  public static final String PROPERTY = "redwing.agent.version";

  private AgentVersion() {}

  public static String get() {
    String version = AgentVersion.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
