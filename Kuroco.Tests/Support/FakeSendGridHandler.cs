using System.Collections.Concurrent;
using System.Net;
using Kuroco.Infrastructure.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Support;

/// <summary>Stands in for SendGrid's HTTP API: records each request and answers with a fixed status.</summary>
public sealed class FakeSendGridHandler(HttpStatusCode status) : HttpMessageHandler
{
    private readonly ConcurrentQueue<RecordedRequest> requests = new();

    public IReadOnlyCollection<RecordedRequest> Requests => requests;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var messageId = "sg-" + Guid.NewGuid().ToString("N");
        requests.Enqueue(new RecordedRequest(request.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), body, messageId));
        var response = new HttpResponseMessage(status)
        {
            Content = new StringContent(status == HttpStatusCode.Accepted ? "" : "{\"errors\":[{\"message\":\"simulated\"}]}"),
            RequestMessage = request,
        };
        if (status == HttpStatusCode.Accepted)
        {
            // As SendGrid does: the accepted message's id in a response header.
            response.Headers.Add(SendGridMailTransport.MessageIdHeader, messageId);
        }
        return response;
    }

    /// <summary>One request, with the X-Message-Id the fake answered it with.</summary>
    public sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, string Body, string MessageId);
}

/// <summary>The real app with a SendGrid key, whose "SendGrid" HTTP client talks to <see cref="FakeSendGridHandler"/>.</summary>
public abstract class SendGridAppFactory : KurocoAppFactory
{
    public const string ApiKey = "SG.test-key-123";
    public const string FromAddress = "alerts@kuroco.test";

    protected SendGridAppFactory(HttpStatusCode status)
    {
        SendGrid = new FakeSendGridHandler(status);
        Settings["SendGrid:ApiKey"] = ApiKey;
        Settings["SendGrid:FromAddress"] = FromAddress;
        TestServices = services => services.AddHttpClient(SendGridMailTransport.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => SendGrid);
    }

    public FakeSendGridHandler SendGrid { get; }
}

public sealed class AcceptingSendGridAppFactory() : SendGridAppFactory(HttpStatusCode.Accepted);

public sealed class FailingSendGridAppFactory() : SendGridAppFactory(HttpStatusCode.InternalServerError);
