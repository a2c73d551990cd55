package io.redwing.instrumentation.apachehttpclient5;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.AsyncHttpClientCalls;
import io.redwing.bootstrap.HttpClientCalls;
import io.redwing.bootstrap.Operation;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;

/**
 * Times each request of Apache HttpClient 5's classic and async clients, redirects and retries
 * included, with method, URL and final status, and adds the propagation headers the request lacks.
 * An async request starts on the calling thread and ends when its future completes, fails or is
 * cancelled.
 */
public final class ApacheHttpClient5Instrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "apache-httpclient-5";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("org.apache.hc.client5.http.impl.classic.CloseableHttpClient");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    // Every execute() overload of the public API ends in one of these two doExecute methods.
    // The async clients built by HttpAsyncClients (HTTP/1.1 and HTTP/2) share one base class; the
    // future and the context of httpcore5 carry an async request's end and final status.
    return namedOneOf(
        "org.apache.hc.client5.http.impl.classic.InternalHttpClient",
        "org.apache.hc.client5.http.impl.classic.MinimalHttpClient",
        "org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient",
        "org.apache.hc.core5.concurrent.BasicFuture",
        "org.apache.hc.core5.http.protocol.HttpCoreContext");
  }

  @Override
  public void transform(AdviceTarget target) {
    target.applyAdvice(
        named("doExecute").and(takesArguments(3)), getClass().getName() + "$ExecuteAdvice");
    // Called once per request, on the thread that executes it, with the request and its scope.
    target.applyAdvice(
        named("executeImmediate").and(takesArguments(5)),
        getClass().getName() + "$AsyncExecuteAdvice");
    target.applyAdvice(
        named("setResponse").and(takesArguments(1)), getClass().getName() + "$ResponseAdvice");
    target.applyAdvice(
        named("completed").and(takesArguments(1)), getClass().getName() + "$CompletedAdvice");
    target.applyAdvice(
        named("failed").and(takesArguments(1)), getClass().getName() + "$FailedAdvice");
    target.applyAdvice(
        named("cancel").and(takesArguments(1)), getClass().getName() + "$CancelAdvice");
  }

  public static class ExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(
        @Advice.Argument(0) HttpHost target, @Advice.Argument(1) ClassicHttpRequest request)
        throws Exception {
      // executeOpen(null, request, context), as Spring's request factory calls it, leaves the
      // target to the request's own scheme and authority.
      Operation op =
          HttpClientCalls.startCall(
              "apache-httpclient-5",
              request.getMethod(),
              target == null
                  ? request.getUri().toString()
                  : HttpClientCalls.url(target.toURI(), request.getRequestUri()));
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
        @Advice.Return ClassicHttpResponse response,
        @Advice.Thrown Throwable thrown) {
      HttpClientCalls.protocol(op, response == null ? null : response.getVersion());
      HttpClientCalls.callReturned(op, response == null ? 0 : response.getCode(), thrown);
    }
  }

  /**
   * The request the async client is about to send: the operation starts, headers go into both the
   * request sent and the original one, which redirects are copied from.
   */
  public static class AsyncExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(0) HttpRequest request, @Advice.Argument(2) AsyncExecChain.Scope scope) {
      HttpRequest original = scope.originalRequest;
      String[] headers =
          AsyncHttpClientCalls.start(
              "apache-httpclient-5",
              request.getMethod(),
              HttpClientCalls.url(scope.route.getTargetHost().toURI(), request.getRequestUri()),
              scope.cancellableDependency,
              scope.clientContext);
      for (int i = 0; i + 1 < headers.length; i += 2) {
        Header present = request.getFirstHeader(headers[i]);
        if (HttpClientCalls.mayAddHeader(
            original, headers[i], present == null ? null : present.getValue())) {
          request.setHeader(headers[i], headers[i + 1]);
          original.setHeader(headers[i], headers[i + 1]);
        }
      }
      HttpClientCalls.injected(original, headers);
    }
  }

  public static class ResponseAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.This Object context, @Advice.Argument(0) HttpResponse response) {
      AsyncHttpClientCalls.responded(
          context,
          response == null ? 0 : response.getCode(),
          response == null ? null : response.getVersion());
    }
  }

  /** Before the future calls the application's callback, which must not count as the request. */
  public static class CompletedAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object future) {
      AsyncHttpClientCalls.completed(future, null);
    }
  }

  public static class FailedAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object future, @Advice.Argument(0) Exception error) {
      AsyncHttpClientCalls.completed(future, error);
    }
  }

  public static class CancelAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object future) {
      AsyncHttpClientCalls.cancelled(future);
    }
  }
}
