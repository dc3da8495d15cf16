using System.Text.Json;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Webhooks;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Kuroco.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Webhooks;

public sealed class WebhookSubscriptionTests(WebhookAppFactory factory) : IClassFixture<WebhookAppFactory>
{
    private Task<Result<WebhookSecretIssued>> CreateAsync(string url) => factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>().CreateAsync(
        new WebhookSubscriptionRequest { Name = "Refused?", TargetUrl = url, Events = [WebhookEventTypes.ContentPublished] }));

    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://2130706433/")]
    [InlineData("https://0x7f.1/")]
    [InlineData("https://[::1]/")]
    [InlineData("https://[::ffff:169.254.169.254]/")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://localhost./")]
    [InlineData("https://loopback.example/")]
    public async Task A_target_that_is_or_resolves_to_an_internal_address_is_refused_at_save_and_nothing_is_stored(string url)
    {
        factory.Resolver.Set("loopback.example", "127.0.0.1");

        var result = await CreateAsync(url);

        Assert.Equal(ErrorKind.Validation, result.Error);
        var error = Assert.Single(result.FieldErrors);
        Assert.Equal(nameof(WebhookSubscriptionRequest.TargetUrl), error.Field);
        Assert.Contains("loopback, private", error.Message, StringComparison.Ordinal);
        Assert.False(await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().WebhookSubscriptions.AnyAsync(s => s.TargetUrl == url)));
        var refused = (await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.WebhookTargetRefused && e.Outcome == AuditOutcome.Denied);
        var host = AuditParameters.Deserialize(refused.Parameters)["host"];
        Assert.False(string.IsNullOrEmpty(host));
        Assert.Equal($"Webhook \"Refused?\" refused: its target {host} is a forbidden address (server-side request forgery rule).", AuditText.English(refused));
    }

    [Fact]
    public async Task Plain_http_and_internal_hosts_are_allowed_only_for_allowlisted_hosts()
    {
        factory.Resolver.Set("ci.internal", "10.1.2.3");
        factory.Resolver.Set("public.example", "93.184.216.34");
        Assert.False((await CreateAsync("http://public.example/hook")).Succeeded);
        Assert.False((await CreateAsync("https://ci.internal/hook")).Succeeded);

        var saved = await factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>().SaveAllowedHostsAsync(
            [new WebhookAllowedHostEntry("CI.Internal.", "build server")]));
        Assert.True(saved.Succeeded, string.Join(" ", saved.Errors));
        Assert.Equal("ci.internal", Assert.Single(await factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>().ListAllowedHostsAsync())).Host);
        Assert.Matches("^Webhook host allowlist changed: [0-9]+ → 1 hosts\\.$",
            AuditText.English((await factory.AuditEntriesAsync()).Last(e => e.Action == AuditActions.WebhookAllowedHostsChanged)));

        Assert.True((await CreateAsync("http://ci.internal:8080/hook")).Succeeded);
        Assert.False((await CreateAsync("http://public.example/hook")).Succeeded);

        var cleared = await factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>().SaveAllowedHostsAsync([]));
        Assert.True(cleared.Succeeded);
        Assert.False((await CreateAsync("https://ci.internal/hook")).Succeeded);
    }

    [Fact]
    public async Task Changes_are_audited_with_before_and_after_and_the_secret_is_never_in_the_audit_log_or_the_logs()
    {
        factory.Resolver.Set("audit.example", "93.184.216.34");
        var (id, secret) = await factory.CreateSubscriptionAsync("https://audit.example/hook", "news", WebhookEventTypes.ContentPublished);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var stored = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().WebhookSubscriptions.AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.DoesNotContain(secret, stored.ProtectedSecret, StringComparison.Ordinal);

        var service = (Func<IServiceProvider, IWebhookService>)(sp => sp.GetRequiredService<IWebhookService>());
        var updated = await factory.WithScopeAsync(sp => service(sp).UpdateAsync(id, new WebhookSubscriptionRequest
        {
            Name = stored.Name,
            TargetUrl = "https://audit.example/v2",
            ContentType = "news",
            Events = [WebhookEventTypes.ContentPublished, WebhookEventTypes.ContentDeleted],
        }));
        Assert.True(updated.Succeeded);
        var rotated = await factory.WithScopeAsync(sp => service(sp).RotateSecretAsync(id));
        Assert.True(rotated.Succeeded);
        Assert.NotEqual(secret, rotated.Value!.Secret);
        Assert.True((await factory.WithScopeAsync(sp => service(sp).SetEnabledAsync(id, false))).Succeeded);
        Assert.True((await factory.WithScopeAsync(sp => service(sp).DeleteAsync(id))).Succeeded);

        var audit = await factory.AuditEntriesAsync();
        var mine = audit.Where(e => e.EntityId == id.ToString()).ToList();
        Assert.Equal($"Webhook \"{stored.Name}\" created, posting to audit.example (signing secret generated, not recorded).",
            AuditText.English(Assert.Single(mine, e => e.Action == AuditActions.WebhookCreated)));
        Assert.Equal($"Signing secret of webhook \"{stored.Name}\" (audit.example) replaced (the secret is not recorded).",
            AuditText.English(Assert.Single(mine, e => e.Action == AuditActions.WebhookSecretRotated)));
        Assert.Equal($"Webhook \"{stored.Name}\" (audit.example) disabled.", AuditText.English(Assert.Single(mine, e => e.Action == AuditActions.WebhookDisabled)));
        var deleted = Assert.Single(mine, e => e.Action == AuditActions.WebhookDeleted);
        Assert.Equal($"Webhook \"{stored.Name}\" (audit.example) deleted with its delivery log.", AuditText.English(deleted));
        Assert.Equal($"Webhook「{stored.Name}」（audit.example）を配信ログとともに削除しました。", AuditText.Japanese(deleted));
        var update = Assert.Single(mine, e => e.Action == AuditActions.WebhookUpdated);
        var updateText = JsonSerializer.Serialize(update);
        Assert.Contains("https://audit.example/hook", updateText, StringComparison.Ordinal);
        Assert.Contains("https://audit.example/v2", updateText, StringComparison.Ordinal);

        var everything = JsonSerializer.Serialize(audit);
        Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated.Value.Secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(stored.ProtectedSecret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs.Messages, m => m.Contains(secret, StringComparison.Ordinal) || m.Contains(rotated.Value.Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Messages, m => m.Contains("whsec_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_input_is_refused_with_localized_messages_and_changes_nothing()
    {
        var before = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().WebhookSubscriptions.CountAsync());
        var result = await factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>().CreateAsync(new WebhookSubscriptionRequest
        {
            Name = "",
            TargetUrl = "https://user:pw@hooks.example/\r\nX: y",
            ContentType = "Bad Type",
            Events = [],
        }));
        Assert.Equal(ErrorKind.Validation, result.Error);
        Assert.True(result.Errors.Count >= 3);
        Assert.Contains(result.FieldErrors, e => e.Field == nameof(WebhookSubscriptionRequest.Name));
        Assert.Contains(result.FieldErrors, e => e.Field == nameof(WebhookSubscriptionRequest.ContentType));
        Assert.Equal(before, await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().WebhookSubscriptions.CountAsync()));
    }
}
