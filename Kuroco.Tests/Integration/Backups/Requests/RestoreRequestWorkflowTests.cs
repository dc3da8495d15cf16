using System.Net;
using System.Text.RegularExpressions;
using Kuroco.Core.Audit;
using Kuroco.Core.Backups;
using Kuroco.Core.Backups.Requests;
using Kuroco.Core.Common;
using Kuroco.Core.Mail;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Backups.Requests;

/// <summary>
/// The restore-request workflow through the real services, SQLite file and HTTP pipeline: intake with a per-year
/// reference, the quote mailed to the contact with its approval link, the anonymous single-use approval page, and the
/// reference counter under concurrent intakes.
/// </summary>
public sealed partial class RestoreRequestWorkflowTests(RestoreRequestAppFactory factory) : IClassFixture<RestoreRequestAppFactory>
{
    private static RestoreRequestIntake Intake(string email, string language = "ja") => new(
        "株式会社テスト", email, language,
        new RestoreScope([new RestoreTarget(RestoreTargetKind.Member, "lost-" + Guid.NewGuid().ToString("N")[..8] + "@example.jp")]),
        DateTime.UtcNow.AddDays(-1), "Deleted by mistake yesterday.");

    /// <summary>Calls the service as the workflow's SupportStaff member.</summary>
    private async Task<T> WithServiceAsync<T>(Func<IRestoreRequestService, Task<T>> action) =>
        await AsAsync(await factory.SupportAsync(), action);

    private Task<T> AsAsync<T>(AuditActor actor, Func<IRestoreRequestService, Task<T>> action) =>
        RestoreRequestStaff.AsAsync(factory, actor, sp => action(sp.GetRequiredService<IRestoreRequestService>()));

    private Task<OutboxMessage> LastMailToAsync(string address) => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().OutboxMessages.AsNoTracking().Where(m => m.ToAddress == address)
            .OrderByDescending(m => m.CreatedAtUtc).FirstAsync());

    private async Task<(RestoreRequest Request, string Link)> QuotedAsync(string email, string language = "ja")
    {
        var created = await WithServiceAsync(s => s.CreateAsync(Intake(email, language)));
        Assert.True(created.Succeeded, created.Message);
        var quoted = await WithServiceAsync(s => s.QuoteAsync(created.Value!.Reference,
            new RestoreQuoteInput(88_000, DateTime.UtcNow.AddDays(3)), new Uri("http://localhost/")));
        Assert.True(quoted.Succeeded, quoted.Message);
        var mail = await LastMailToAsync(email);
        var link = LinkPattern().Match(mail.Body);
        Assert.True(link.Success, "The quote mail carries no approval link: " + mail.Body);
        return (created.Value!, new Uri(link.Value).PathAndQuery);
    }

    [Fact]
    public async Task Intake_quote_mail_and_anonymous_single_use_approval_make_the_request_approved()
    {
        var email = $"it-{Guid.NewGuid():N}@example.jp";
        var (request, link) = await QuotedAsync(email);
        Assert.Matches(@"^RR-\d{4}-\d{4}$", request.Reference);

        // The quote mail: the contact's language, the fee as ¥88,000, the link.
        var mail = await LastMailToAsync(email);
        Assert.Equal($"復元依頼 {request.Reference}：お見積り", mail.Subject);
        Assert.Contains("¥88,000", mail.Body, StringComparison.Ordinal);
        Assert.StartsWith("/restore-requests/approve/", link, StringComparison.Ordinal);

        // Anonymous: no cookie, no sign-in.
        var client = factory.CreateBrowserLikeClient();
        var page = await client.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains(request.Reference, html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"approve\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Deleted by mistake", html, StringComparison.Ordinal);

        var approved = await PostApprovalAsync(client, link, html);
        Assert.Contains("data-testid=\"approval-done\"", approved, StringComparison.Ordinal);
        var stored = await WithServiceAsync(s => s.FindAsync(request.Reference));
        Assert.Equal(RestoreRequestState.Approved, stored!.State);
        Assert.Equal("link", stored.ApprovalMethod);
        Assert.Null(stored.ApprovalTokenHash);
        var approval = stored.Events.Single(e => e.Event == RestoreRequestEvents.ApprovedByLink);
        Assert.Equal(RestoreRequestActor.CustomerName, approval.ActorName);
        Assert.Equal(
            [RestoreRequestEvents.Received, RestoreRequestEvents.Quoted, RestoreRequestEvents.ApprovedByLink],
            stored.Events.Select(e => e.Event));

        // Single use: the same link again shows the "cannot be used" page, and a replayed post changes nothing.
        var again = await client.GetStringAsync(link);
        Assert.Contains("data-testid=\"approval-unusable\"", again, StringComparison.Ordinal);
        Assert.DoesNotContain(request.Reference, again, StringComparison.Ordinal);
        var replay = await PostApprovalAsync(client, link, html);
        Assert.Contains("data-testid=\"approval-unusable\"", replay, StringComparison.Ordinal);
        Assert.Single((await WithServiceAsync(s => s.FindAsync(request.Reference)))!.Events, e => e.Event == RestoreRequestEvents.ApprovedByLink);

        // Audited, language-neutral, with the reference.
        var entries = (await factory.AuditEntriesAsync()).Where(e => e.EntityId == request.Reference).ToList();
        Assert.Equal([AuditActions.RestoreRequestReceived, AuditActions.RestoreRequestQuoted, AuditActions.RestoreRequestApproved],
            entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("", e.Summary));
        Assert.Equal("Restore request " + request.Reference + " was approved by the customer through the approval link.", AuditText.English(entries[^1]));
    }

    [Fact]
    public async Task An_expired_link_is_refused_and_a_phone_approval_needs_the_quote_first()
    {
        var email = $"it-{Guid.NewGuid():N}@example.jp";
        var (request, link) = await QuotedAsync(email, "en");
        var mail = await LastMailToAsync(email);
        Assert.Equal($"Your restore request {request.Reference}: quote", mail.Subject);
        Assert.Contains("JPY 88,000", mail.Body, StringComparison.Ordinal);
        await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Set<RestoreRequest>()
            .Where(r => r.Reference == request.Reference)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ApprovalTokenExpiresAtUtc, DateTime.UtcNow.AddMinutes(-1))));

        var client = factory.CreateBrowserLikeClient();
        var html = await client.GetStringAsync(link);
        Assert.Contains("data-testid=\"approval-unusable\"", html, StringComparison.Ordinal);
        var denied = await WithServiceAsync(s => s.ApproveByLinkAsync(link.Split('/')[^1]));
        Assert.Equal(ErrorKind.NotFound, denied.Error);
        Assert.Equal(RestoreRequestState.Quoted, (await WithServiceAsync(s => s.FindAsync(request.Reference)))!.State);

        // Staff record the approval received by phone instead; a request not quoted yet cannot be approved.
        var fresh = await WithServiceAsync(s => s.CreateAsync(Intake($"it-{Guid.NewGuid():N}@example.jp")));
        Assert.Equal(ErrorKind.Conflict, (await WithServiceAsync(s => s.ApproveByPhoneAsync(fresh.Value!.Reference, "yes"))).Error);
        Assert.Equal(ErrorKind.Conflict, (await WithServiceAsync(s => s.StartExtractionAsync(fresh.Value!.Reference, "20261205T170000Z-aaaa"))).Error);
        var phone = await WithServiceAsync(s => s.ApproveByPhoneAsync(request.Reference, "Ms. Tanaka approved on the phone at 10:05."));
        Assert.True(phone.Succeeded, phone.Message);
        var stored = await WithServiceAsync(s => s.FindAsync(request.Reference));
        Assert.Equal(RestoreRequestState.Approved, stored!.State);
        Assert.Equal("phone", stored.ApprovalMethod);
        Assert.Equal("Ms. Tanaka approved on the phone at 10:05.", stored.Events[^1].Detail);
    }

    [Fact]
    public async Task Reference_numbers_are_unique_and_sequential_under_concurrent_intakes()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            WithServiceAsync(s => s.CreateAsync(Intake($"c{i}-{Guid.NewGuid():N}@example.jp")))));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Message));
        var numbers = results.Select(r => r.Value!.Number).Order().ToList();
        Assert.Equal(8, numbers.Distinct().Count());
        Assert.Equal(Enumerable.Range(numbers[0], 8), numbers);
        Assert.All(results, r => Assert.Equal(RestoreRequest.FormatReference(r.Value!.Year, r.Value.Number), r.Value.Reference));
        // Bad input changes nothing.
        var bad = await WithServiceAsync(s => s.CreateAsync(Intake("it@example.jp\r\nBcc: x@evil.example")));
        Assert.Equal(ErrorKind.Validation, bad.Error);
    }

    [Fact]
    public async Task Only_support_staff_and_administrators_change_a_request_and_a_withdrawal_is_audited()
    {
        var email = $"it-{Guid.NewGuid():N}@example.jp";
        var (request, _) = await QuotedAsync(email, "en");
        var entries = (await factory.AuditEntriesAsync()).Count;

        // An Operator reaches /restore-requests (the Backups area) to read, but the service refuses every change; so it
        // does for a caller without a user (a scope of its own, a job). Nothing is written.
        var operatorActor = await RestoreRequestStaff.CreateAsync(factory, StaffRoles.Operator);
        var created = await AsAsync(operatorActor, s => s.CreateAsync(Intake($"it-{Guid.NewGuid():N}@example.jp")));
        Assert.Equal(ErrorKind.Forbidden, created.Error);
        Assert.Equal("Only support staff and Administrators may work on restore requests.", created.Message);
        Assert.Equal(ErrorKind.Forbidden, (await AsAsync(operatorActor, s => s.ApproveByPhoneAsync(request.Reference, "yes"))).Error);
        Assert.Equal(ErrorKind.Forbidden, (await AsAsync(operatorActor, s => s.WithdrawAsync(request.Reference, null))).Error);
        Assert.Equal(ErrorKind.Forbidden, (await AsAsync(operatorActor, s => s.StartExtractionAsync(request.Reference, "20261205T170000Z-aaaa"))).Error);
        Assert.Empty(await AsAsync(operatorActor, s => s.SearchTargetsAsync(RestoreTargetKind.Member, "")));
        var noUser = await factory.WithScopeAsync(sp => sp.GetRequiredService<IRestoreRequestService>().DeclineAsync(request.Reference, null));
        Assert.Equal(ErrorKind.Forbidden, noUser.Error);
        // The settings are the Administrators' alone.
        var settings = await WithServiceAsync(s => s.GetSettingsAsync());
        var supportSettings = await WithServiceAsync(s => s.SaveSettingsAsync(new RestoreRequestSettings { FeeJpy = 1, ApprovalLinkDays = settings.ApprovalLinkDays }));
        Assert.Equal(ErrorKind.Forbidden, supportSettings.Error);
        Assert.Equal(settings.FeeJpy, (await WithServiceAsync(s => s.GetSettingsAsync())).FeeJpy);
        Assert.Equal(RestoreRequestState.Quoted, (await WithServiceAsync(s => s.FindAsync(request.Reference)))!.State);
        Assert.Equal(entries, (await factory.AuditEntriesAsync()).Count);

        // An Administrator may; support staff withdraw the request for the customer: closed as cancelled, audited.
        var administrator = await RestoreRequestStaff.CreateAsync(factory, StaffRoles.Administrator);
        var other = await AsAsync(administrator, s => s.CreateAsync(Intake($"it-{Guid.NewGuid():N}@example.jp")));
        Assert.True(other.Succeeded, other.Message);
        var withdrawn = await WithServiceAsync(s => s.WithdrawAsync(request.Reference, "The customer found the data."));
        Assert.True(withdrawn.Succeeded, withdrawn.Message);
        var stored = await WithServiceAsync(s => s.FindAsync(request.Reference));
        Assert.Equal(RestoreRequestState.Cancelled, stored!.State);
        Assert.Equal(RestoreRequestEvents.Cancelled, stored.Events[^1].Event);
        Assert.Equal((await factory.SupportAsync()).Name, stored.Events[^1].ActorName);
        var entry = (await factory.AuditEntriesAsync()).Last(e => e.EntityId == request.Reference);
        Assert.Equal(AuditActions.RestoreRequestCancelled, entry.Action);
        Assert.Equal((await factory.SupportAsync()).UserId, entry.ActorId);
        Assert.Equal($"Restore request {request.Reference} was cancelled.", AuditText.English(entry));
        Assert.Equal($"復元依頼 {request.Reference} を取り消しました。", AuditText.Japanese(entry));
        Assert.Equal(ErrorKind.Conflict, (await WithServiceAsync(s => s.WithdrawAsync(request.Reference, null))).Error);
    }

    private static async Task<string> PostApprovalAsync(HttpClient client, string link, string formHtml)
    {
        var response = await client.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "approve-restore",
            ["__RequestVerificationToken"] = KurocoAppFactory.AntiforgeryToken(formHtml),
            ["Confirm"] = "yes",
        }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        return body;
    }

    [GeneratedRegex(@"https?://\S+/restore-requests/approve/[A-Za-z0-9_\-]+")]
    private static partial Regex LinkPattern();
}
