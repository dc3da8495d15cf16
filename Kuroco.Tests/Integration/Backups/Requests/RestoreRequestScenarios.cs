using Kuroco.Core.Backups;
using Kuroco.Core.Backups.Requests;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Integration.Audit;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Backups.Requests;

/// <summary>Restore requests in a given state, set up through the service (and the database where a job would have written).</summary>
internal static class RestoreRequestScenarios
{
    /// <summary>The app's clock (the coverage app runs on a fake one).</summary>
    public static DateTime Now(KurocoAppFactory app) => app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    public static RestoreRequestIntake Intake(DateTime now, string? memberKey = null) => new(
        "Coverage Co.", $"contact-{Guid.NewGuid():N}@example.jp", "en",
        new RestoreScope([new RestoreTarget(RestoreTargetKind.Member, memberKey ?? $"lost-{Guid.NewGuid():N}@example.jp")]),
        now.AddHours(-3), null);

    public static RestoreQuoteInput Quote(DateTime now) => new(RestoreRequestSettings.DefaultFeeJpy, now.AddDays(2));

    /// <summary>Calls as the bootstrap Administrator: the service changes requests only for SupportStaff and Administrators.</summary>
    public static async Task<T> AsStaffAsync<T>(AuditCoverageAppFactory app, Func<IServiceProvider, Task<T>> call)
    {
        using var acting = ActingAuditContext.As(await app.AdministratorAsync());
        return await app.WithScopeAsync(call);
    }

    public static async Task<string> ReceivedAsync(AuditCoverageAppFactory app, string? memberKey = null)
    {
        var created = await AsStaffAsync(app, sp => sp.GetRequiredService<IRestoreRequestService>().CreateAsync(Intake(Now(app), memberKey)));
        Assert.True(created.Succeeded, created.Message);
        return created.Value!.Reference;
    }

    public static async Task<string> QuotedAsync(AuditCoverageAppFactory app, string? memberKey = null)
    {
        var reference = await ReceivedAsync(app, memberKey);
        var quoted = await AsStaffAsync(app, sp => sp.GetRequiredService<IRestoreRequestService>().QuoteAsync(reference, Quote(Now(app)), new Uri("http://localhost/")));
        Assert.True(quoted.Succeeded, quoted.Message);
        return reference;
    }

    /// <summary>Replaces the mailed link's secret with a known one (the mail is not what a scenario reads).</summary>
    public static async Task<string> KnownTokenAsync(KurocoAppFactory app, string reference)
    {
        var token = MemberSecrets.Generate();
        var hash = MemberSecrets.Hash(token);
        await app.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().Set<RestoreRequest>().Where(r => r.Reference == reference)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.ApprovalTokenHash, hash)));
        return token;
    }

    /// <summary>An approved request with an extraction stored as the job writes it (a preview without conflicts).</summary>
    public static async Task<string> ExtractedAsync(AuditCoverageAppFactory app)
    {
        var reference = await QuotedAsync(app);
        await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            var request = await db.Set<RestoreRequest>().SingleAsync(r => r.Reference == reference);
            Assert.True(request.ApproveByPhone("yes", RestoreRequestActor.System, Now(app)).Succeeded);
            Assert.True(request.StartExtraction("20261205T170000Z-cove", RestoreRequestActor.System, Now(app)).Succeeded);
            var preview = new RestorePreview("20261205T170000Z-cove", request.Scope, new DateTimeOffset(Now(app)), []);
            Assert.True(request.CompleteExtraction(RestoreScopeJson.Write(preview), Now(app)).Succeeded);
            await db.SaveChangesAsync();
        });
        return reference;
    }
}
