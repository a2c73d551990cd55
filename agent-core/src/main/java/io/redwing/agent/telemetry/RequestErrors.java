package io.redwing.agent.telemetry;

import io.redwing.bootstrap.HttpServerRequest;

/**
 * Where server requests that end with an exception go, with what happened before it (the Sentry
 * reporter). {@link #NONE} keeps the record path free of any history when no one listens.
 */
public interface RequestErrors {
  RequestErrors NONE =
      new RequestErrors() {
        @Override
        public RequestHistory startRequest(HttpServerRequest request, String redactedQuery) {
          return null;
        }

        @Override
        public void serverFailed(ServerFailure failure) {}
      };

  /** A bounded history for a request that starts now, or null to keep none. */
  RequestHistory startRequest(HttpServerRequest request, String redactedQuery);

  /** Must not block: called on the request thread. */
  void serverFailed(ServerFailure failure);

  /** Every request with a history ends here, after {@link #serverFailed} if it failed. */
  default void requestEnded(RequestHistory history) {}
}
