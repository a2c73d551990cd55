package io.redwing.instrumentation.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs the agent when the JUnit session opens, before discovery: discovery reflects on test
 * methods, and a method that takes or returns a bootstrap type would load that type from the class
 * path, after which the bootstrap copy can no longer be linked.
 */
public final class EarlyInstallation implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    InstalledAgent.ensureInstalled();
  }
}
