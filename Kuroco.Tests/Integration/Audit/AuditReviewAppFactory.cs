using Kuroco.Core.Audit;
using Kuroco.Core.Audit.Review;
using Kuroco.Core.Mail;
using Kuroco.Infrastructure.Audit.Review;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>The real app with a controllable clock and no job server: the tests run the review jobs themselves.</summary>
public class AuditReviewAppFactory : KurocoAppFactory
{
    public AuditReviewAppFactory()
    {
        Settings["Kuroco:Jobs:RunServer"] = "false";
        TestServices = services => services.AddSingleton<TimeProvider>(Clock);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Inserts rows straight into the log with the times and actors a test chooses (the chain is not the point here).</summary>
    public Task<List<AuditEntry>> InsertAsync(params AuditEntry[] rows) => WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<KurocoDbContext>();
        var next = (await db.AuditEntries.MaxAsync(e => (long?)e.Sequence) ?? 0) + 1;
        foreach (var row in rows)
        {
            row.Sequence = next++;
        }
        db.AuditEntries.AddRange(rows);
        await db.SaveChangesAsync();
        return rows.ToList();
    });

    public static AuditEntry Row(string action, DateTime utc, string actorName = "someone", string? actorId = null, string roles = "",
        string? ip = null, AuditOutcome outcome = AuditOutcome.Success) => new()
        {
            OccurredAtUtc = utc,
            ActorId = actorId,
            ActorName = actorName,
            ActorRoles = roles,
            Action = action,
            EntityType = "Test",
            Summary = action + " by " + actorName,
            Outcome = outcome,
            IpAddress = ip,
            PreviousHash = AuditHasher.GenesisHash,
            Hash = AuditHasher.GenesisHash,
        };

    /// <summary>Asks for a month's review (as "Prepare now" does) and prepares it at once, as the queued job would.</summary>
    public async Task<AuditReview> PrepareAsync(DateOnly month)
    {
        var requested = await WithScopeAsync(sp => sp.GetRequiredService<IAuditReviewService>().RequestPreparationAsync(month));
        Assert.True(requested.Succeeded, requested.Message);
        await WithScopeAsync(sp => sp.GetRequiredService<AuditReviewPreparer>().PrepareAsync(requested.Value!.Id, CancellationToken.None));
        return (await GetReviewAsync(month, requested.Value!.Version))!;
    }

    public Task<AuditReview?> GetReviewAsync(DateOnly month, int? version = null) =>
        WithScopeAsync(sp => sp.GetRequiredService<IAuditReviewService>().GetAsync(month, version));

    public Task<T> WithReviewsAsync<T>(Func<IAuditReviewService, Task<T>> action) =>
        WithScopeAsync(sp => action(sp.GetRequiredService<IAuditReviewService>()));

    public Task<List<OutboxMessage>> MailsAsync(string toAddress) => WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().OutboxMessages.AsNoTracking().Where(m => m.ToAddress == toAddress).OrderBy(m => m.CreatedAtUtc).ToListAsync());
}
