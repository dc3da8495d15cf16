using System.Text.RegularExpressions;
using FluentValidation;
using Kuroco.Core.Common;

namespace Kuroco.Core.Webhooks;

/// <summary>Shape rules of a target URL (the address rule needs DNS and runs in the service).</summary>
public static class WebhookUrlRules
{
    /// <summary>Null when the URL is well formed; else the CoreMessages key of the problem.</summary>
    public static string? Problem(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "Webhook.UrlRequired";
        }
        if (url.Length > WebhookSubscription.UrlMaxLength)
        {
            return "Webhook.UrlTooLong";
        }
        if (!HeaderValues.IsSafe(url) || url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return "Webhook.UrlLineBreak";
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.HostNameType == UriHostNameType.Unknown || string.IsNullOrEmpty(uri.Host))
        {
            return "Webhook.UrlInvalid";
        }
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return "Webhook.UrlScheme";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo) || Authority(url).Contains('@', StringComparison.Ordinal))
        {
            return "Webhook.UrlCredentials";
        }
        return null;
    }

    private static string Authority(string url)
    {
        var start = url.IndexOf("//", StringComparison.Ordinal);
        if (start < 0)
        {
            return "";
        }
        var rest = url[(start + 2)..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        return end < 0 ? rest : rest[..end];
    }
}

public sealed partial class WebhookSubscriptionRequestValidator : AbstractValidator<WebhookSubscriptionRequest>
{
    public WebhookSubscriptionRequestValidator()
    {
        RuleFor(r => r.Name)
            .Cascade(CascadeMode.Stop)
            .Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage(_ => CoreMessages.Get("Webhook.NameRequired"))
            .MaximumLength(WebhookSubscription.NameMaxLength).WithMessage(_ => CoreMessages.Format("Webhook.NameTooLong", WebhookSubscription.NameMaxLength))
            .Must(HeaderValues.IsSafe).WithMessage(_ => CoreMessages.Get("Webhook.NameLineBreak"));
        RuleFor(r => r.TargetUrl)
            .Custom((url, context) =>
            {
                if (WebhookUrlRules.Problem(url) is { } key)
                {
                    context.AddFailure(nameof(WebhookSubscriptionRequest.TargetUrl), key == "Webhook.UrlTooLong"
                        ? CoreMessages.Format(key, WebhookSubscription.UrlMaxLength)
                        : CoreMessages.Get(key));
                }
            });
        RuleFor(r => r.ContentType)
            .Must(t => t == WebhookSubscription.AllContentTypes || (t is not null && ApiIdPattern().IsMatch(t)))
            .WithMessage(_ => CoreMessages.Get("Webhook.ContentTypeInvalid"));
        RuleFor(r => r.Events)
            .Cascade(CascadeMode.Stop)
            .Must(e => e is { Count: > 0 }).WithMessage(_ => CoreMessages.Get("Webhook.EventsRequired"))
            .Must(e => e.All(WebhookEventTypes.IsKnown)).WithMessage(_ => CoreMessages.Get("Webhook.EventUnknown"));
    }

    /// <summary>The content type API identifier rule shared by every feature.</summary>
    [GeneratedRegex("^[a-z][a-z0-9-]{1,62}$", RegexOptions.CultureInvariant)]
    public static partial Regex ApiIdPattern();
}

public sealed class WebhookAllowedHostEntryValidator : AbstractValidator<WebhookAllowedHostEntry>
{
    public WebhookAllowedHostEntryValidator()
    {
        RuleFor(e => e.Host)
            .Cascade(CascadeMode.Stop)
            .Must(h => !string.IsNullOrWhiteSpace(h)).WithMessage(_ => CoreMessages.Get("Webhook.HostRequired"))
            .MaximumLength(WebhookAllowedHost.HostMaxLength).WithMessage(_ => CoreMessages.Get("Webhook.HostInvalid"))
            .Must(h => Uri.CheckHostName(WebhookAddressRules.NormalizeHost(h)) != UriHostNameType.Unknown)
            .WithMessage(_ => CoreMessages.Get("Webhook.HostInvalid"));
        RuleFor(e => e.Comment)
            .MaximumLength(WebhookAllowedHost.CommentMaxLength).WithMessage(_ => CoreMessages.Format("Webhook.CommentTooLong", WebhookAllowedHost.CommentMaxLength))
            .Must(HeaderValues.IsSafe).WithMessage(_ => CoreMessages.Get("Webhook.NameLineBreak"));
    }
}

public sealed class WebhookAllowedHostsValidator : AbstractValidator<IReadOnlyList<WebhookAllowedHostEntry>>
{
    public const int MaxEntries = 100;

    public WebhookAllowedHostsValidator()
    {
        RuleFor(l => l.Count)
            .LessThanOrEqualTo(MaxEntries).WithMessage(_ => CoreMessages.Format("Webhook.TooManyHosts", MaxEntries))
            .OverridePropertyName("Hosts");
        RuleForEach(l => l).SetValidator(new WebhookAllowedHostEntryValidator()).OverridePropertyName("Hosts");
        RuleFor(l => l)
            .Must(l => l.Select(e => WebhookAddressRules.NormalizeHost(e.Host ?? "")).Distinct(StringComparer.Ordinal).Count() == l.Count)
            .WithMessage(_ => CoreMessages.Get("Webhook.HostDuplicate"))
            .OverridePropertyName("Hosts");
    }
}
