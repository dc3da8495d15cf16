using FluentValidation;
using Hangfire;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;
using Kuroco.Core.Audit;
using Kuroco.Infrastructure.Api;
using Kuroco.Core.Jobs;
using Kuroco.Core.Mail;
using Kuroco.Core.Security;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Audit;
using Kuroco.Infrastructure.Audit.Review;
using Kuroco.Infrastructure.Content;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Demo;
using Kuroco.Infrastructure.Health;
using Kuroco.Infrastructure.Identity;
using Kuroco.Infrastructure.Jobs;
using Kuroco.Infrastructure.Logs;
using Kuroco.Infrastructure.Mail;
using Kuroco.Infrastructure.Maintenance;
using Kuroco.Infrastructure.Media;
using Kuroco.Infrastructure.Backups.Requests;
using Kuroco.Infrastructure.Members;
using Kuroco.Infrastructure.Security;
using Kuroco.Infrastructure.SignIn;
using Kuroco.Infrastructure.Staff;
using Kuroco.Infrastructure.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kuroco.Infrastructure;

public static class DependencyInjection
{
    /// <summary>The tag of health checks that must pass before the app is ready.</summary>
    public const string ReadyTag = "ready";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration, string contentRootPath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        var dataPath = storage.ResolveDataPath(contentRootPath);
        Directory.CreateDirectory(dataPath);
        var (provider, connectionString) = DatabaseSetup.Resolve(configuration, dataPath);

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions(configuration, dataPath);
        services.AddKurocoDatabase(provider, connectionString);
        services.AddStaffIdentity();
        services.AddKurocoDataProtection(configuration);
        services.AddJobs(configuration, provider, connectionString, dataPath);
        services.AddServerLogs(configuration, dataPath);
        Monitoring.MonitoringServices.AddMonitoring(services, configuration, dataPath);
        services.AddMail(configuration);
        services.AddValidatorsFromAssemblyContaining<MailMessageValidator>(ServiceLifetime.Singleton, includeInternalTypes: true);

        services.AddScoped<IAuditLog, AuditLog>();
        services.TryAddSingleton<IAuditSearchText, NoAuditSearchText>();
        services.AddScoped<IAuditReader, AuditReader>();
        services.AddScoped<IAuditSavedFilters, AuditSavedFilters>();
        services.AddSingleton<IAuditAnchorStore, FileAuditAnchorStore>();
        services.AddAuditRetention();
        services.AddScoped<IAuditEntryLookup, AuditEntryLookup>();
        services.AddScoped<IStaffService, StaffService>();
        services.AddScoped<IStaffDirectory, StaffDirectory>();
        services.AddSingleton<Security.SessionPolicyCache>();
        services.AddScoped<Core.Security.ISessionPolicyStore, Security.SessionPolicyStore>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddIpAllowlists();
        Security.SelfAssessment.SelfAssessmentServiceCollectionExtensions.AddSelfAssessment(services, configuration);
        services.AddWebhooks(configuration);
        services.AddMedia(configuration);
        services.AddContent(configuration);
        services.AddApiKeys();
        services.AddMembers();
        services.AddMemberData(configuration);
        services.AddMemberAccounts(configuration);
        services.AddDemo(configuration);
        services.AddAuditReviews();
        Backups.BackupServiceCollectionExtensions.AddBackups(services, configuration);
        Backups.ScopedRestore.ScopedRestoreServices.AddScopedRestore(services);
        services.AddRestoreRequests(configuration);
        services.AddMaintenanceMode();
        Backups.FullRestore.FullRestoreServices.AddFullRestore(services);
        Backups.BackupChecksServiceCollectionExtensions.AddBackupChecks(services, configuration);
        Incidents.IncidentServiceCollectionExtensions.AddIncidents(services, configuration);
        Sla.SlaServiceCollectionExtensions.AddSla(services);

        services.AddHealthChecks()
            .AddDbContextCheck<KurocoDbContext>("database", tags: [ReadyTag])
            .AddCheck<JobStorageHealthCheck>("jobs", HealthStatus.Unhealthy, [ReadyTag]);
        // After the backup engine's local store: with Backups:Storage=Both the local folder stays the first target.
        Backups.S3.S3BackupServices.AddS3BackupStorage(services, configuration);
        return services;
    }

    private static void AddOptions(this IServiceCollection services, IConfiguration configuration, string dataPath)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.SectionName));
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName))
            .PostConfigure(o => o.DataPath = dataPath).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BootstrapOptions>().Bind(configuration.GetSection(BootstrapOptions.SectionName));
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.SectionName));
        services.AddOptions<SendGridOptions>().Bind(configuration.GetSection(SendGridOptions.SectionName))
            .Validate(o => o.IsValid(), "SendGrid: FromAddress must be a valid address and no value may contain a line break.")
            .ValidateOnStart();
    }

    private static void AddStaffIdentity(this IServiceCollection services)
    {
        services.AddIdentityCore<StaffUser>(options =>
            {
                options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
                // The stored password policy decides (PolicyPasswordValidator, the sign-in service); Identity's own rules stay out of the way.
                options.Password.RequiredLength = 1;
                options.Password.RequiredUniqueChars = 1;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.AllowedForNewUsers = true;
                var defaults = new PasswordPolicy();
                options.Lockout.MaxFailedAccessAttempts = defaults.MaxFailedAttempts;
                options.Lockout.DefaultLockoutTimeSpan = defaults.LockoutSpan;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<KurocoDbContext>()
            .AddUserManager<StaffUserManager>()
            .AddPasswordValidator<PolicyPasswordValidator>()
            .AddSignInManager<StaffSignInManager>()
            .AddClaimsPrincipalFactory<StaffClaimsPrincipalFactory>()
            .AddErrorDescriber<LocalizedIdentityErrorDescriber>()
            .AddDefaultTokenProviders();
        // OWASP (2023) for PBKDF2-HMAC-SHA512; older hashes are upgraded at the next successful sign-in.
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = 220_000);
        services.AddSingleton<PasswordPolicyCache>();
        services.AddScoped<IPasswordPolicyStore, PasswordPolicyStore>();
        services.AddSingleton<MemberPasswordPolicyCache>();
        services.AddScoped<Core.Members.IMemberPasswordPolicyStore, MemberPasswordPolicyStore>();
        services.AddScoped<PasswordHistory>();
        services.AddScoped<SecurityNotifications>();
        services.AddStaffSignIn();
        services.AddScoped<AdministratorPasswordReset>();
    }

    private static void AddJobs(this IServiceCollection services, IConfiguration configuration, DatabaseProvider provider, string connectionString, string dataPath)
    {
        var jobs = configuration.GetSection(JobsOptions.SectionName).Get<JobsOptions>() ?? new JobsOptions();
        services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (provider == DatabaseProvider.SqlServer)
            {
                // Shared storage: every instance sees the same queues, and each recurring job fires once per schedule.
                config.UseSqlServerStorage(connectionString, new SqlServerStorageOptions
                {
                    PrepareSchemaIfNecessary = true,
                    QueuePollInterval = TimeSpan.FromSeconds(1),
                });
            }
            else
            {
                config.UseSQLiteStorage(Path.Combine(dataPath, "jobs.db"), new SQLiteStorageOptions
                {
                    QueuePollInterval = TimeSpan.FromSeconds(1),
                });
            }
        });
        if (jobs.RunServer)
        {
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = Math.Max(1, jobs.WorkerCount);
                o.SchedulePollingInterval = TimeSpan.FromSeconds(5);
            });
        }
        services.AddSingleton<IJobScheduler, HangfireJobScheduler>();
        services.AddSingleton<RecurringJobsRegistrar>();
        // The console's /jobs screen (Hangfire's monitoring API) and the progress its running jobs report.
        services.AddScoped<IJobsConsole, HangfireJobsConsole>();
        services.AddScoped<IJobProgressSource, BackupRunProgressSource>();
        services.AddScoped<IJobProgressSource, FullRestoreProgressSource>();
        services.AddScoped<AuditChainVerificationJob>();
        services.AddScoped<MailDispatchJob>();
    }

    private static void AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        var sendGrid = configuration.GetSection(SendGridOptions.SectionName).Get<SendGridOptions>() ?? new SendGridOptions();
        services.AddHttpClient(SendGridMailTransport.HttpClientName);
        if (sendGrid.IsConfigured)
        {
            services.AddScoped<IMailTransport, SendGridMailTransport>();
        }
        else
        {
            services.AddScoped<IMailTransport, LocalOutboxTransport>();
        }
        services.AddScoped<IMailSender, OutboxMailSender>();
        services.AddScoped<NoticeMailer>();
        services.AddScoped<IOutboxReader, OutboxReader>();
    }
}
