using System.Net;
using Kuroco.Admin.Account;
using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Account;

/// <summary>
/// <c>reset-password &lt;email&gt;</c>, the way back in when the bootstrap one-time password was lost: run in-process,
/// with the command line's own host, against the SQLite file of a running app.
/// </summary>
public sealed class ResetPasswordCommandTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        // The app is up (its database created and migrated), as it would be on a server whose password was lost.
        factory.CreateClient().Dispose();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ResetPasswordCommand.RunAsync([.. args, $"--Storage:DataPath={factory.DataPath}"], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private Task<(string? Stamp, string? Hash, DateTimeOffset? LockoutEnd)> StateAsync(string id) => factory.WithScopeAsync(sp =>
        sp.GetRequiredService<KurocoDbContext>().Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new ValueTuple<string?, string?, DateTimeOffset?>(u.SecurityStamp, u.PasswordHash, u.LockoutEnd)).SingleAsync());

    [Fact]
    public async Task An_administrator_gets_a_one_time_password_the_account_is_unlocked_and_its_sessions_end()
    {
        var email = $"lost-{Guid.NewGuid():N}@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.Administrator);
        await factory.UpdateStaffAsync(id, u => u.LockoutEnd = DateTimeOffset.UtcNow.AddHours(1));
        var before = await StateAsync(id);

        var (exit, output, error) = await RunAsync(ResetPasswordCommand.Verb, email);

        Assert.True(exit == 0, error);
        var password = Assert.Single(output.Split('\n'), l => l.StartsWith("    ", StringComparison.Ordinal)).Trim();
        Assert.True(password.Length >= 20);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(output, System.Text.RegularExpressions.Regex.Escape(password)));
        Assert.DoesNotContain(password, error);
        var after = await StateAsync(id);
        Assert.NotEqual(before.Stamp, after.Stamp);
        Assert.NotEqual(before.Hash, after.Hash);
        Assert.Null(after.LockoutEnd);

        // The old password is gone; the new one signs in straight to the password change.
        var client = factory.CreateBrowserLikeClient();
        Assert.Equal(HttpStatusCode.OK, (await KurocoAppFactory.PostLoginAsync(client, email, KurocoAppFactory.StaffPassword)).StatusCode);
        var signedIn = await KurocoAppFactory.PostLoginAsync(client, email, password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.StartsWith("/account/change-password", KurocoAppFactory.LocationPath(signedIn));

        var entry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.StaffOneTimePasswordIssued && e.EntityId == id);
        Assert.Equal($"command line ({Environment.UserName}@{Environment.MachineName})", entry.ActorName);
        Assert.Contains("LockoutEnd", entry.Changes);
        Assert.DoesNotContain(password, AuditText.English(entry) + entry.Changes);
    }

    [Fact]
    public async Task An_unknown_account_is_refused_with_one_line_and_exit_code_1()
    {
        var (exit, output, error) = await RunAsync(ResetPasswordCommand.Verb, "nobody-here@test.local");

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal("reset-password: No staff account has the email nobody-here@test.local. Nothing was changed.", error.Trim());
    }

    [Fact]
    public async Task An_account_that_is_not_an_administrator_is_refused_and_keeps_its_password()
    {
        var email = $"editor-{Guid.NewGuid():N}@test.local";
        var id = await factory.CreateStaffAsync(email, StaffRoles.ContentEditor);
        var before = await StateAsync(id);
        var entries = (await factory.AuditEntriesAsync()).Count;

        var (exit, output, error) = await RunAsync(ResetPasswordCommand.Verb, email);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains("is not an Administrator", error);
        Assert.Equal(before, await StateAsync(id));
        Assert.Equal(entries, (await factory.AuditEntriesAsync()).Count);
    }

    [Fact]
    public async Task Without_an_email_the_usage_is_shown()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(1, await ResetPasswordCommand.RunAsync([ResetPasswordCommand.Verb], output, error));
        Assert.StartsWith("Usage: dotnet run --project Kuroco.Admin -- reset-password <administrator email>", error.ToString());
        Assert.True(ResetPasswordCommand.IsInvoked(["reset-password", "a@b.c"]));
        Assert.False(ResetPasswordCommand.IsInvoked(["--urls=http://localhost:5080"]));
    }
}
