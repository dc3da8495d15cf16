using Kuroco.Core.Audit.Review;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Infrastructure.Audit.Review;

public static class AuditReviewServiceCollectionExtensions
{
    /// <summary>The monthly audit review: settings, preparation, decisions and sign-off, mails and the two recurring jobs.</summary>
    public static IServiceCollection AddAuditReviews(this IServiceCollection services)
    {
        services.AddSingleton<AuditReviewSettingsCache>();
        services.AddSingleton<AuditReviewSchedule>();
        services.AddScoped<IAuditReviewSettingsStore, AuditReviewSettingsStore>();
        services.AddScoped<IAuditReviewService, AuditReviewService>();
        services.AddScoped<AuditReviewMailer>();
        services.AddScoped<AuditReviewPreparer>();
        services.AddScoped<AuditReviewMonthlyJob>();
        services.AddScoped<AuditReviewPreparationJob>();
        services.AddScoped<AuditReviewReminderJob>();
        return services;
    }
}
