package io.redwing.instrumentation.apachehttpclient4;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.AsyncHttpClientCalls;
import io.redwing.bootstrap.HttpClientCalls;
import io.redwing.bootstrap.Operation;
import io.redwing.bootstrap.TaskContexts;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.concurrent.FutureCallback;
import org.apache.http.nio.protocol.HttpAsyncRequestProducer;

/**
 * Times each request of Apache HttpClient 4.3+ (the closeable clients and the deprecated {@code
 * DefaultHttpClient}) and of HttpAsyncClient 4.1's default client, redirects and retries included,
 * with method, URL and final status, and adds the propagation headers the request lacks. An async
 * request starts on the calling thread and ends when its future completes, fails or is cancelled;
 * the application's callback runs in the context the request was made in.
 */
public final class ApacheHttpClient4Instrumentation implements TypeInstrumentation {
  private static final String HANDLER =
      "org.apache.http.impl.nio.client.DefaultClientExchangeHandlerImpl";
  private static final String FUTURE = "org.apache.http.concurrent.BasicFuture";
  private static final String CALLBACK = "org.apache.http.concurrent.FutureCallback";

  @Override
  public String name() {
    return "apache-httpclient-4";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("org.apache.http.impl.client.CloseableHttpClient");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    // Every execute() overload of the public API ends in one of these doExecute methods. Every
    // request of HttpAsyncClients.createDefault() and custom() goes through the exchange handler,
    // its MainClientExec sees each response, and its httpcore future carries the end.
    return namedOneOf(
        "org.apache.http.impl.client.InternalHttpClient",
        "org.apache.http.impl.client.MinimalHttpClient",
        "org.apache.http.impl.client.AbstractHttpClient",
        HANDLER,
        "org.apache.http.impl.nio.client.MainClientExec",
        FUTURE);
  }

  @Override
  public void transform(AdviceTarget target) {
    target.applyAdvice(
        named("doExecute").and(takesArguments(3)), getClass().getName() + "$ExecuteAdvice");
    target.applyAdvice(
        named("start").and(takesArguments(0)).and(isDeclaredBy(named(HANDLER))),
        getClass().getName() + "$AsyncStartAdvice");
    target.applyAdvice(
        named("responseReceived").and(takesArguments(3)),
        getClass().getName() + "$AsyncResponseAdvice");
    target.applyAdvice(
        isConstructor().and(takesArguments(1)).and(takesArgument(0, named(CALLBACK))),
        getClass().getName() + "$FutureCreatedAdvice");
    target.applyAdvice(
        namedOneOf("completed", "failed", "cancel")
            .and(takesArguments(1))
            .and(isDeclaredBy(named(FUTURE))),
        getClass().getName() + "$FutureDoneAdvice");
  }

  public static class ExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(
        @Advice.Argument(0) HttpHost target, @Advice.Argument(1) HttpRequest request) {
      Operation op =
          HttpClientCalls.startCall(
              "apache-httpclient-4",
              request.getRequestLine().getMethod(),
              HttpClientCalls.url(
                  target == null ? null : target.toURI(), request.getRequestLine().getUri()));
      String[] headers = HttpClientCalls.takeMissingHeaders(null);
      for (int i = 0; i + 1 < headers.length; i += 2) {
        Header present = request.getFirstHeader(headers[i]);
        if (HttpClientCalls.mayAddHeader(
            request, headers[i], present == null ? null : present.getValue())) {
          request.setHeader(headers[i], headers[i + 1]);
        }
      }
      HttpClientCalls.injected(request, headers);
      return op;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(
        @Advice.Enter Operation op,
        @Advice.Return HttpResponse response,
        @Advice.Thrown Throwable thrown) {
      HttpClientCalls.protocol(
          op, response == null ? null : response.getStatusLine().getProtocolVersion());
      HttpClientCalls.callReturned(
          op, response == null ? 0 : response.getStatusLine().getStatusCode(), thrown);
    }
  }

  /**
   * The exchange starts on the calling thread. The producer hands out the application's request
   * (HttpAsyncMethods.create keeps it), which the client wraps next and copies redirects' headers
   * from, so headers added here reach every hop.
   */
  public static class AsyncStartAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.This Object handler,
        @Advice.FieldValue("requestProducer") HttpAsyncRequestProducer producer,
        @Advice.FieldValue("resultFuture") Object future)
        throws Exception {
      HttpRequest request = producer.generateRequest();
      HttpHost target = producer.getTarget();
      String[] headers =
          AsyncHttpClientCalls.start(
              "apache-httpclient-4",
              request.getRequestLine().getMethod(),
              HttpClientCalls.url(
                  target == null ? null : target.toURI(), request.getRequestLine().getUri()),
              future,
              handler);
      for (int i = 0; i + 1 < headers.length; i += 2) {
        Header present = request.getFirstHeader(headers[i]);
        if (HttpClientCalls.mayAddHeader(
            request, headers[i], present == null ? null : present.getValue())) {
          request.setHeader(headers[i], headers[i + 1]);
        }
      }
      HttpClientCalls.injected(request, headers);
    }
  }

  /** A response on the I/O thread; a redirect's is replaced by the next one. */
  public static class AsyncResponseAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) HttpResponse response, @Advice.Argument(2) Object handler) {
      AsyncHttpClientCalls.responded(
          handler,
          response == null ? 0 : response.getStatusLine().getStatusCode(),
          response == null ? null : response.getStatusLine().getProtocolVersion());
    }
  }

  /** A future with a callback remembers the caller's context for that callback. */
  public static class FutureCreatedAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(
        @Advice.This Object future, @Advice.Argument(0) FutureCallback<?> callback) {
      TaskContexts.submitted(callback == null ? null : future);
    }
  }

  /**
   * The request's operation ends before the future calls the application's callback, which then
   * runs in the caller's context and leaves nothing current behind.
   */
  public static class FutureDoneAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(
        @Advice.This Object future,
        @Advice.Origin("#m") String method,
        @Advice.Argument(0) Object argument) {
      AsyncHttpClientCalls.done(future, method, argument);
      return TaskContexts.running(future);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(@Advice.Enter Object token) {
      TaskContexts.finished(token);
    }
  }
}
