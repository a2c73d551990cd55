package io.redwing.instrumentation.javahttpclient;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.HttpClientCalls;
import io.redwing.bootstrap.Operation;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import java.lang.invoke.MethodHandles;
import java.net.ProxySelector;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Times each {@code java.net.http.HttpClient} exchange, {@code send} until it returns and {@code
 * sendAsync} until its future completes, with method, URI and final status (redirects included),
 * and adds the propagation headers to the first request and every redirect of it.
 */
public final class JavaHttpClientInstrumentation implements TypeInstrumentation {
  private static final String REQUEST_IMPL = "jdk.internal.net.http.HttpRequestImpl";

  @Override
  public String name() {
    return "java-http-client";
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    // The facade every HttpClient.newHttpClient() returns delegates to HttpClientImpl.
    return namedOneOf("jdk.internal.net.http.HttpClientImpl", REQUEST_IMPL);
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    target.applyAdvice(named("send").and(takesArguments(2)), prefix + "$SendAdvice");
    // send() and the public sendAsync() overloads all end up in this private one.
    target.applyAdvice(named("sendAsync").and(takesArguments(4)), prefix + "$SendAsyncAdvice");
    target.applyAdvice(
        isConstructor().and(takesArguments(2)).and(takesArgument(1, ProxySelector.class)),
        prefix + "$UserRequestAdvice");
    target.applyAdvice(
        isConstructor().and(takesArgument(2, named(REQUEST_IMPL))), prefix + "$RedirectAdvice");
  }

  public static class SendAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(@Advice.Argument(0) HttpRequest request) {
      return HttpClientCalls.startCall(
          "java-http-client", request.method(), String.valueOf(request.uri()));
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(
        @Advice.Enter Operation op,
        @Advice.Return HttpResponse<?> response,
        @Advice.Thrown Throwable thrown) {
      HttpClientCalls.protocol(op, response == null ? null : response.version());
      HttpClientCalls.callReturned(op, response == null ? 0 : response.statusCode(), thrown);
    }
  }

  public static class SendAsyncAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(@Advice.Argument(0) HttpRequest request) {
      return HttpClientCalls.startCall(
          "java-http-client", request.method(), String.valueOf(request.uri()));
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(
        @Advice.Enter Operation op,
        @Advice.Return CompletableFuture<?> response,
        @Advice.Thrown Throwable thrown) {
      HttpClientCalls.asyncCallReturned(op, response, HttpResponse.class, "statusCode", thrown);
    }
  }

  /** The client copies the application's request: the copy gets the headers it lacks. */
  public static class UserRequestAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(
        @Advice.This Object copy, @Advice.FieldValue("userHeaders") HttpHeaders headers)
        throws Throwable {
      // The lookup is made in the request class, which may call its own setSystemHeader.
      HttpClientCalls.addHeaders(MethodHandles.lookup(), copy, headers.map(), null);
    }
  }

  /** A redirect (or an authentication retry) gets the headers its origin got. */
  public static class RedirectAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(
        @Advice.This Object copy,
        @Advice.Argument(2) Object origin,
        @Advice.FieldValue("userHeaders") HttpHeaders headers)
        throws Throwable {
      HttpClientCalls.addHeaders(MethodHandles.lookup(), copy, headers.map(), origin);
    }
  }
}
