using Kuroco.Core.Audit;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Identity;
using Kuroco.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Database;

/// <summary>What the app leaves in its data folder after its first start.</summary>
public sealed class StartupTests(KurocoAppFactory factory) : IClassFixture<KurocoAppFactory>
{
    [Fact]
    public async Task The_database_file_is_created_in_the_data_folder_in_WAL_mode()
    {
        _ = factory.Services;
        var file = Path.Combine(factory.DataPath, "kuroco.db");
        Assert.True(File.Exists(file), $"No database at {file}.");
        Assert.True(File.Exists(Path.Combine(factory.DataPath, "jobs.db")), "No job store in the data folder.");

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Every_migration_is_applied()
    {
        await factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<KurocoDbContext>();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
            Assert.NotEmpty(db.Database.GetMigrations());
        });
    }

    [Fact]
    public async Task Every_staff_role_exists()
    {
        await factory.WithScopeAsync(async sp =>
        {
            var roles = sp.GetRequiredService<RoleManager<IdentityRole>>();
            foreach (var role in StaffRoles.All)
            {
                Assert.True(await roles.RoleExistsAsync(role), role);
            }
        });
    }

    [Fact]
    public async Task The_bootstrap_administrator_exists_must_change_the_password_and_is_audited()
    {
        await factory.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StaffUser>>();
            var admin = await users.FindByEmailAsync(KurocoAppFactory.AdminEmail);
            Assert.NotNull(admin);
            Assert.True(await users.IsInRoleAsync(admin, StaffRoles.Administrator));
            Assert.True(admin.MustChangePassword);
            Assert.True(admin.IsEnabled);
            Assert.True(admin.LockoutEnabled);
            Assert.True(await users.CheckPasswordAsync(admin, KurocoAppFactory.AdminPassword));
            Assert.Single(await users.GetUsersInRoleAsync(StaffRoles.Administrator));
        });

        var entry = Assert.Single(await factory.AuditEntriesAsync(), e => e.Action == AuditActions.StaffBootstrapped);
        Assert.Equal("system", entry.ActorName);
        Assert.Contains(KurocoAppFactory.AdminEmail, AuditText.English(entry));
        Assert.DoesNotContain(KurocoAppFactory.AdminPassword, AuditText.English(entry));
    }

    [Fact]
    public async Task Starting_again_on_the_same_folder_creates_no_second_administrator()
    {
        _ = factory.Services;
        await using var second = new KurocoAppFactory();
        second.Settings["Storage:DataPath"] = factory.DataPath;
        _ = second.Services;

        await second.WithScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<UserManager<StaffUser>>();
            Assert.Single(await users.GetUsersInRoleAsync(StaffRoles.Administrator));
        });
        Assert.Single(await second.AuditEntriesAsync(), e => e.Action == AuditActions.StaffBootstrapped);
    }
}
