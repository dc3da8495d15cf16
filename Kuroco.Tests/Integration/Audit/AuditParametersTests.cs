using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Audit;

/// <summary>New entries are stored language-neutral (format 2) next to the old English ones, in one verifiable chain.</summary>
public sealed class AuditParametersTests : IAsyncLifetime
{
    private readonly KurocoAppFactory factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task A_language_neutral_entry_stores_parameters_and_no_prose_and_an_edited_parameter_breaks_the_chain()
    {
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(
            new AuditRecord("test.old", "Test", null, "An English sentence, the way entries were written before.")));
        var written = await factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditLog>().WriteAsync(
            new AuditRecord(AuditActions.PasswordChanged, "Staff", "user-2", AuditParameters.Of(("variant", "required"), ("email", "editor@example.com")))));

        var stored = (await factory.AuditEntriesAsync()).Single(e => e.Sequence == written.Sequence);
        Assert.Equal(AuditEntry.ParametersFormat, stored.FormatVersion);
        Assert.Equal("", stored.Summary);
        Assert.Equal("""{"email":"editor@example.com","variant":"required"}""", stored.Parameters);
        var old = (await factory.AuditEntriesAsync()).Single(e => e.Action == "test.old");
        Assert.Equal(AuditEntry.LegacyFormat, old.FormatVersion);
        Assert.Null(old.Parameters);
        Assert.True((await VerifyAsync()).IsIntact);

        await factory.WithScopeAsync(async sp => Assert.Equal(1, await sp.GetRequiredService<KurocoDbContext>().Database.ExecuteSqlAsync(
            $"UPDATE AuditEntries SET Parameters = {"""{"email":"someone@example.com","variant":"required"}"""} WHERE Sequence = {written.Sequence}")));
        var result = await VerifyAsync();

        Assert.Equal(AuditChainProblem.HashMismatch, result.Problem);
        Assert.Equal(written.Sequence, result.FirstBrokenSequence);
    }

    [Fact]
    public async Task A_staff_account_created_in_the_console_is_recorded_without_prose()
    {
        var id = await factory.WithScopeAsync(async sp => (await sp.GetRequiredService<IStaffService>().CreateAsync(
            new CreateStaffRequest { Email = "new@example.com", DisplayName = "New", Roles = [StaffRoles.ContentEditor] })).Value!.UserId);

        var entry = (await factory.AuditEntriesAsync()).Single(e => e.Action == AuditActions.StaffCreated && e.EntityId == id);
        Assert.Equal(AuditEntry.ParametersFormat, entry.FormatVersion);
        Assert.Equal("""{"email":"new@example.com","roles":"ContentEditor"}""", entry.Parameters);
    }

    private Task<AuditChainVerification> VerifyAsync() =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IAuditReader>().VerifyChainAsync());
}
