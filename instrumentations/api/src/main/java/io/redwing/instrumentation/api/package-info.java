/** The SPI every instrumentation implements, and the installer shared by agent and tests. */
package io.redwing.instrumentation.api;
