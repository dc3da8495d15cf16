using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Audit;

public sealed class AuditSavedFilterTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task Saved_filters_are_per_owner_audited_and_bad_names_change_nothing()
    {
        var alice = await factory.CreateStaffAsync("alice-filters@test.local", StaffRoles.SecurityOfficer);
        var bob = await factory.CreateStaffAsync("bob-filters@test.local", StaffRoles.SecurityOfficer);

        var (saved, error) = await Filters(f => f.SaveAsync(alice, "  Failed sign-ins  ", "?preset=last7&action=auth.sign-in-failed"));
        Assert.Equal(AuditSavedFilterError.None, error);
        Assert.Equal("Failed sign-ins", saved!.Name);
        Assert.Equal("preset=last7&action=auth.sign-in-failed", saved.Query);

        Assert.Equal(AuditSavedFilterError.NameTaken, (await Filters(f => f.SaveAsync(alice, "failed SIGN-INS", "q=x"))).Error);
        Assert.Equal(AuditSavedFilterError.NameRequired, (await Filters(f => f.SaveAsync(alice, "   ", "q=x"))).Error);
        Assert.Equal(AuditSavedFilterError.NameTooLong, (await Filters(f => f.SaveAsync(alice, new string('n', AuditSavedFilter.NameMaxLength + 1), "q=x"))).Error);
        Assert.Equal(AuditSavedFilterError.QueryTooLong, (await Filters(f => f.SaveAsync(alice, "long", new string('q', AuditSavedFilter.QueryMaxLength + 1)))).Error);

        // Only the owner sees or deletes it.
        Assert.Equal(["Failed sign-ins"], (await Filters(f => f.ListAsync(alice))).Select(f => f.Name));
        Assert.Empty(await Filters(f => f.ListAsync(bob)));
        Assert.Equal(AuditSavedFilterError.NotFound, await Filters(f => f.DeleteAsync(bob, saved.Id)));
        Assert.Single(await Filters(f => f.ListAsync(alice)));

        Assert.Equal(AuditSavedFilterError.None, await Filters(f => f.DeleteAsync(alice, saved.Id)));
        Assert.Empty(await Filters(f => f.ListAsync(alice)));

        var entries = await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == nameof(AuditSavedFilter) && e.EntityId == saved.Id.ToString()).OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal([AuditActions.AuditFilterSaved, AuditActions.AuditFilterDeleted], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Contains("Failed sign-ins", e.Parameters, StringComparison.Ordinal));
        Assert.Equal(2, await factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().AuditEntries
            .CountAsync(e => e.EntityType == nameof(AuditSavedFilter) && e.Parameters!.Contains("Failed sign-ins"))));
    }

    private Task<T> Filters<T>(Func<IAuditSavedFilters, Task<T>> action) =>
        factory.WithScopeAsync(sp => action(sp.GetRequiredService<IAuditSavedFilters>()));
}
