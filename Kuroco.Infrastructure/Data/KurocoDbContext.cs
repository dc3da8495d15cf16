using Kuroco.Core.Audit;
using Kuroco.Core.Mail;
using Kuroco.Core.Security;
using Kuroco.Infrastructure.Security;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Kuroco.Infrastructure.Data;

/// <summary>
/// The console's database. The app resolves this type; a derived context per provider
/// (<see cref="SqliteKurocoDbContext"/>, <see cref="SqlServerKurocoDbContext"/>) owns that provider's migrations.
/// </summary>
public abstract class KurocoDbContext : IdentityDbContext<StaffUser>, IDataProtectionKeyContext
{
    protected KurocoDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    // Saved audit filters (feat/audit-search): configured in Audit/AuditSavedFilters.cs.
    public DbSet<AuditSavedFilter> AuditSavedFilters => Set<AuditSavedFilter>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<PasswordPolicy> PasswordPolicies => Set<PasswordPolicy>();
    public DbSet<PasswordHistoryEntry> PasswordHistory => Set<PasswordHistoryEntry>();
    public DbSet<IpAllowlistRule> IpAllowlistRules => Set<IpAllowlistRule>();
    // Media library (feat/media)
    public DbSet<Kuroco.Core.Media.MediaItem> MediaItems => Set<Kuroco.Core.Media.MediaItem>();
    internal DbSet<Security.SessionPolicySettings> SessionPolicySettings => Set<Security.SessionPolicySettings>();
    // Audit retention and "Verify now" (issue 12 C, configured in Audit/RetentionState.cs).
    internal DbSet<Audit.AuditRetentionState> AuditRetention => Set<Audit.AuditRetentionState>();
    internal DbSet<Audit.AuditVerificationRunRow> AuditVerificationRuns => Set<Audit.AuditVerificationRunRow>();

    // Webhooks (feat/webhooks): configurations in Kuroco.Infrastructure/Webhooks.
    public DbSet<Kuroco.Core.Webhooks.WebhookSubscription> WebhookSubscriptions => Set<Kuroco.Core.Webhooks.WebhookSubscription>();
    public DbSet<Kuroco.Core.Webhooks.WebhookDelivery> WebhookDeliveries => Set<Kuroco.Core.Webhooks.WebhookDelivery>();
    public DbSet<Kuroco.Core.Webhooks.WebhookAllowedHost> WebhookAllowedHosts => Set<Kuroco.Core.Webhooks.WebhookAllowedHost>();
    // Content (configured in Content/ContentEntityConfigurations.cs)
    public DbSet<Kuroco.Core.Content.ContentType> ContentTypes => Set<Kuroco.Core.Content.ContentType>();
    public DbSet<Kuroco.Core.Content.ContentItem> ContentItems => Set<Kuroco.Core.Content.ContentItem>();
    public DbSet<Kuroco.Core.Content.ContentVersion> ContentVersions => Set<Kuroco.Core.Content.ContentVersion>();
    public DbSet<Kuroco.Core.Content.ContentReview> ContentReviews => Set<Kuroco.Core.Content.ContentReview>();
    // Delivery index (feat/query): configured and kept in Content/ContentIndexing.cs.
    public DbSet<Kuroco.Core.Content.ContentFieldValue> ContentFieldValues => Set<Kuroco.Core.Content.ContentFieldValue>();
    // API keys (feature: API infrastructure).
    public DbSet<Kuroco.Core.Api.ApiKey> ApiKeys => Set<Kuroco.Core.Api.ApiKey>();
    // Members (configured in Members/MemberConfigurations.cs).
    public DbSet<Kuroco.Core.Members.Member> Members => Set<Kuroco.Core.Members.Member>();
    public DbSet<Kuroco.Core.Members.MemberGroup> MemberGroups => Set<Kuroco.Core.Members.MemberGroup>();
    public DbSet<Kuroco.Core.Members.MemberGroupMembership> MemberGroupMemberships => Set<Kuroco.Core.Members.MemberGroupMembership>();
    public DbSet<Kuroco.Core.Members.MemberSignInRecord> MemberSignIns => Set<Kuroco.Core.Members.MemberSignInRecord>();
    public DbSet<Kuroco.Core.Members.MemberToken> MemberTokens => Set<Kuroco.Core.Members.MemberToken>();
    public DbSet<Kuroco.Core.Members.MemberRefreshToken> MemberRefreshTokens => Set<Kuroco.Core.Members.MemberRefreshToken>();
    public DbSet<Kuroco.Core.Members.MemberConsent> MemberConsents => Set<Kuroco.Core.Members.MemberConsent>();

    // Monitoring (feat/monitoring): configured in Monitoring/AlertConfigurations.cs.
    public DbSet<Kuroco.Core.Monitoring.AlertRule> AlertRules => Set<Kuroco.Core.Monitoring.AlertRule>();
    public DbSet<Kuroco.Core.Monitoring.AlertRecord> AlertRecords => Set<Kuroco.Core.Monitoring.AlertRecord>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(KurocoDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        base.ConfigureConventions(configurationBuilder);
        // Every DateTime is UTC; SQLite forgets the kind, so give it back on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardAppendOnly();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardAppendOnly();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>The audit log is append-only: nothing in the app may update or delete an entry.</summary>
    private void GuardAppendOnly()
    {
        foreach (var entry in ChangeTracker.Entries<AuditEntry>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException("Audit entries are append-only: they cannot be updated or deleted.");
            }
        }
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v.HasValue ? (v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime()) : v,
        v => v.HasValue ? DateTime.SpecifyKind(v.Value, DateTimeKind.Utc) : v);
}

/// <summary>The SQLite flavour of the model; its migrations are in Migrations/Sqlite.</summary>
public sealed class SqliteKurocoDbContext(DbContextOptions<SqliteKurocoDbContext> options) : KurocoDbContext(options);

/// <summary>The SQL Server flavour of the model; its migrations are in Migrations/SqlServer.</summary>
public sealed class SqlServerKurocoDbContext(DbContextOptions<SqlServerKurocoDbContext> options) : KurocoDbContext(options);
