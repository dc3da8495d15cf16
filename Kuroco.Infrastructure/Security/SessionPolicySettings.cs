using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Security;

/// <summary>The one row of the session policy (table SessionPolicySettings, Id 1). No row means the defaults.</summary>
internal sealed class SessionPolicySettings
{
    public const int SingletonId = 1;
    public const int RolesMaxLength = 512;

    public int Id { get; set; } = SingletonId;
    public int IdleTimeoutMinutes { get; set; }
    public int AbsoluteLifetimeMinutes { get; set; }

    /// <summary>Role names separated by commas.</summary>
    public string TwoFactorRequiredRoles { get; set; } = "";

    public DateTime UpdatedAtUtc { get; set; }
    public string? UpdatedBy { get; set; }
}

internal sealed class SessionPolicySettingsConfiguration : IEntityTypeConfiguration<SessionPolicySettings>
{
    public void Configure(EntityTypeBuilder<SessionPolicySettings> builder)
    {
        builder.ToTable("SessionPolicySettings");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.TwoFactorRequiredRoles).HasMaxLength(SessionPolicySettings.RolesMaxLength).IsRequired();
        builder.Property(s => s.UpdatedBy).HasMaxLength(256);
    }
}
