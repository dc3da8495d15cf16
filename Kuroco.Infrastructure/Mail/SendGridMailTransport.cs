using System.Globalization;
using Kuroco.Core.Mail;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Kuroco.Infrastructure.Mail;

/// <summary>Delivers through SendGrid's v3 API. The HTTP client comes from IHttpClientFactory ("SendGrid").</summary>
internal sealed class SendGridMailTransport(IHttpClientFactory httpClientFactory, IOptions<SendGridOptions> options) : IMailTransport
{
    public const string HttpClientName = "SendGrid";

    public string Name => "sendgrid";

    /// <summary>SendGrid's response header naming the accepted message (its activity feed and event webhooks carry it).</summary>
    public const string MessageIdHeader = "X-Message-Id";

    /// <summary>The outbox id travels as a custom argument, so SendGrid's events can be matched to the outbox too.</summary>
    public const string OutboxIdArgument = "kuroco_outbox_id";

    public async Task<MailDelivery> DeliverAsync(Guid outboxId, MailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = options.Value;
        var client = new SendGridClient(httpClientFactory.CreateClient(HttpClientName), new SendGridClientOptions { ApiKey = settings.ApiKey });
        var mail = MailHelper.CreateSingleEmail(
            new EmailAddress(settings.FromAddress, settings.FromName),
            new EmailAddress(message.ToAddress, message.ToName),
            message.Subject,
            message.Body,
            htmlContent: null);
        mail.AddCustomArg(OutboxIdArgument, outboxId.ToString());
        foreach (var attachment in message.Attachments)
        {
            mail.AddAttachment(attachment.FileName, Convert.ToBase64String(attachment.Content), attachment.ContentType, "attachment");
        }
        var response = await client.SendEmailAsync(mail, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The response body may echo the request; report the status only, never the key.
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"SendGrid refused the message: HTTP {(int)response.StatusCode} {response.StatusCode}."));
        }
        var id = response.Headers is not null && response.Headers.TryGetValues(MessageIdHeader, out var values)
            ? values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim()
            : null;
        return new MailDelivery(id is { Length: > MailDelivery.ProviderMessageIdMaxLength } ? id[..MailDelivery.ProviderMessageIdMaxLength] : id);
    }
}
