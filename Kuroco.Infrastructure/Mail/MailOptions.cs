using Kuroco.Core.Common;

namespace Kuroco.Infrastructure.Mail;

/// <summary>Configuration section "SendGrid". Without an API key mail stays in the local outbox.</summary>
public sealed class SendGridOptions
{
    public const string SectionName = "SendGrid";

    public string? ApiKey { get; set; }
    public string FromAddress { get; set; } = "no-reply@kuroco.local";
    public string FromName { get; set; } = "Kuroco";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey);

    public bool IsValid() =>
        EmailRules.IsValid(FromAddress) && HeaderValues.IsSafe(FromName) && HeaderValues.IsSafe(ApiKey);
}
