package io.redwing.instrumentation.okhttp;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.HttpClientCalls;
import io.redwing.bootstrap.Operation;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import okhttp3.Call;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Times each OkHttp call, {@code execute} and {@code enqueue} alike, from the application's call
 * (so its span is a child of the caller's) until the interceptor chain returned the final response
 * (redirects and retries included), with method, URL and status, and adds the propagation headers
 * to the request the chain starts with.
 */
public final class OkHttpInstrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "okhttp";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("okhttp3.OkHttpClient");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    // RealCall moved to okhttp3.internal.connection in 4.0.
    return namedOneOf(
        "okhttp3.RealCall",
        "okhttp3.internal.connection.RealCall",
        "okhttp3.internal.http.RealInterceptorChain");
  }

  @Override
  public void transform(AdviceTarget target) {
    String prefix = getClass().getName();
    target.applyAdvice(
        namedOneOf("execute", "enqueue").and(takesArguments(0).or(takesArguments(1))),
        prefix + "$CallAdvice");
    // Kotlin mangles the internal function's name (getResponseWithInterceptorChain$okhttp).
    target.applyAdvice(
        nameStartsWith("getResponseWithInterceptorChain").and(takesArguments(0)),
        prefix + "$ChainAdvice");
    target.applyAdvice(named("proceed").and(takesArguments(1)), prefix + "$ProceedAdvice");
  }

  /** The application's call: the operation starts here, on its thread. */
  public static class CallAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(@Advice.This Call call) {
      Request request = call.request();
      Operation op =
          HttpClientCalls.startCall("okhttp", request.method(), request.url().toString());
      HttpClientCalls.remember(call, op);
      return op;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(
        @Advice.This Call call, @Advice.Enter Operation op, @Advice.Thrown Throwable thrown) {
      // The chain ends the operation; this only ends a call that failed before the chain did.
      HttpClientCalls.callLeft(op, call, thrown);
    }
  }

  /** The chain runs on the calling thread for execute, on a dispatcher thread for enqueue. */
  public static class ChainAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Call call) {
      HttpClientCalls.starting(HttpClientCalls.get(call));
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(
        @Advice.This Call call, @Advice.Return Response response, @Advice.Thrown Throwable thrown) {
      HttpClientCalls.started();
      Operation op = HttpClientCalls.take(call);
      HttpClientCalls.protocol(op, response == null ? null : response.protocol());
      HttpClientCalls.end(op, response == null ? 0 : response.code(), thrown);
    }
  }

  /** The first link of the chain gets the request with the headers the application lacks. */
  public static class ProceedAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.Argument(value = 0, readOnly = false) Request request) {
      String[] missing = HttpClientCalls.takeMissingHeaders(request.headers().toMultimap());
      if (missing.length > 0) {
        Request.Builder builder = request.newBuilder();
        for (int i = 0; i + 1 < missing.length; i += 2) {
          builder.header(missing[i], missing[i + 1]);
        }
        request = builder.build();
      }
    }
  }
}
