package io.redwing.instrumentation.httpurlconnection;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.HttpClientCalls;
import io.redwing.bootstrap.Operation;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import java.net.HttpURLConnection;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Times each request of the JDK's {@code HttpURLConnection} and {@code HttpsURLConnection}, from
 * its first {@code connect}, {@code getOutputStream} or {@code getInputStream} until the response
 * arrived, with its method, URL and status, and adds the propagation headers.
 */
public final class HttpUrlConnectionInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "http-url-connection";
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    // HttpsURLConnectionImpl only delegates to a subclass of the plain one, which does the work.
    return namedOneOf(
        "sun.net.www.protocol.http.HttpURLConnection",
        "sun.net.www.protocol.https.AbstractDelegateHttpsURLConnection");
  }

  @Override
  public void transform(AdviceTarget target) {
    target.applyAdvice(
        isPublic()
            .and(namedOneOf("connect", "getOutputStream", "getInputStream"))
            .and(takesArguments(0)),
        getClass().getName() + "$RequestAdvice");
  }

  public static class RequestAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(
        @Advice.This HttpURLConnection connection,
        @Advice.FieldValue("connected") boolean connected) {
      return HttpClientCalls.connectionCall(connection, connected);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(
        @Advice.This HttpURLConnection connection,
        @Advice.Origin("#m") String method,
        @Advice.FieldValue("responseCode") int responseCode,
        @Advice.Enter Operation op,
        @Advice.Thrown Throwable thrown) {
      HttpClientCalls.connectionCallDone(
          connection, op, "getInputStream".equals(method), responseCode, thrown);
    }
  }
}
