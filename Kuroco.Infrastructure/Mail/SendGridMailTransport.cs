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

    public async Task DeliverAsync(MailMessage message, CancellationToken cancellationToken)
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
        var response = await client.SendEmailAsync(mail, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The response body may echo the request; report the status only, never the key.
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"SendGrid refused the message: HTTP {(int)response.StatusCode} {response.StatusCode}."));
        }
    }
}
