using System.Globalization;
using Kuroco.Core.Incidents;
using Kuroco.Core.Monitoring;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Kuroco.Admin.Status;

/// <summary>
/// The public status page's and feed's cache: one answer per culture (the request's culture after localization, or the
/// feed's <c>?culture=</c>) kept in the server's output cache for <see cref="StatusPageOptions.CacheSeconds"/>, and
/// <c>Cache-Control: public, max-age</c> for browsers and proxies (varying by the culture cookie and Accept-Language that
/// choose the language). Only 200 answers without cookies are stored. A change to an incident, a raised alert that may
/// open one, or a maintenance window evicts the tag at once (<see cref="StatusCacheEviction"/>); the lifetime is the backstop.
/// The security headers are added by their middleware ahead of this one, on cached answers too.
/// </summary>
internal sealed class StatusOutputCachePolicy(IOptions<StatusPageOptions> options) : IOutputCachePolicy
{
    public const string Name = "Kuroco.Status";
    public const string Tag = "status";

    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.HttpContext.Request;
        var seconds = options.Value.CacheSeconds;
        var enabled = seconds > 0 && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method));
        context.EnableOutputCaching = enabled;
        context.AllowCacheLookup = enabled;
        context.AllowCacheStorage = enabled;
        context.AllowLocking = true;
        if (!enabled)
        {
            return ValueTask.CompletedTask;
        }
        context.ResponseExpirationTimeSpan = TimeSpan.FromSeconds(seconds);
        context.Tags.Add(Tag);
        context.CacheVaryByRules.VaryByValues["culture"] = StatusCulture.Of(context.HttpContext).Name;
        // Before the headers are sent (the answer is stored with them, so a cached copy carries them too).
        context.HttpContext.Response.OnStarting(static state =>
        {
            var (response, seconds) = ((HttpResponse, int))state;
            if (response.StatusCode == StatusCodes.Status200OK && !response.Headers.ContainsKey(HeaderNames.SetCookie))
            {
                response.Headers.CacheControl = "public, max-age=" + seconds.ToString(CultureInfo.InvariantCulture);
                response.Headers.Vary = "Cookie, Accept-Language";
            }
            return Task.CompletedTask;
        }, (context.HttpContext.Response, seconds));
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        // Errors must never outlive a fix, and an answer that sets a cookie is never shared.
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.ContainsKey(HeaderNames.SetCookie))
        {
            context.AllowCacheStorage = false;
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>The culture of a status answer: the feed's <c>?culture=</c> when it names a supported one, else the request's.</summary>
internal static class StatusCulture
{
    public static CultureInfo Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var asked = Localization.SupportedCultures.ForLanguageTag(context.Request.Query["culture"].ToString());
        return asked is not null ? CultureInfo.GetCultureInfo(asked) : CultureInfo.CurrentUICulture;
    }
}

/// <summary>Evicts the status page's cached answers. Called after a change that the page shows.</summary>
public sealed class StatusCacheEviction(IOutputCacheStore store)
{
    public Task EvictAsync(CancellationToken cancellationToken = default) =>
        store.EvictByTagAsync(StatusOutputCachePolicy.Tag, cancellationToken).AsTask();
}

/// <summary>An alert that opens or annotates an incident (the incidents' own listener runs first): the page shows it at once.</summary>
internal sealed class StatusAlertListener(StatusCacheEviction eviction) : IAlertListener
{
    public Task OnRaisedAsync(AlertRaised alert, CancellationToken cancellationToken) => eviction.EvictAsync(cancellationToken);

    public Task OnResolvedAsync(AlertResolved alert, CancellationToken cancellationToken) => eviction.EvictAsync(cancellationToken);
}

/// <summary>
/// The incident service, evicting the status page's cache after each change that succeeded (opening, a step, a
/// classification, a note): customers see a new step at once rather than after the cache's lifetime.
/// </summary>
internal sealed class StatusEvictingIncidentService(IIncidentService inner, StatusCacheEviction eviction) : IIncidentService
{
    public Task<IReadOnlyList<Incident>> ListAsync(bool? open, CancellationToken cancellationToken = default) => inner.ListAsync(open, cancellationToken);

    public Task<Incident?> FindAsync(Guid id, CancellationToken cancellationToken = default) => inner.FindAsync(id, cancellationToken);

    public async Task<Kuroco.Core.Common.Result<Guid>> CreateAsync(OpenIncidentRequest request, CancellationToken cancellationToken = default) =>
        await EvictOnSuccessAsync(await inner.CreateAsync(request, cancellationToken), r => r.Succeeded, cancellationToken);

    public async Task<Kuroco.Core.Common.Result> AdvanceAsync(Guid id, IncidentStep target, CancellationToken cancellationToken = default) =>
        await EvictOnSuccessAsync(await inner.AdvanceAsync(id, target, cancellationToken), r => r.Succeeded, cancellationToken);

    public async Task<Kuroco.Core.Common.Result> ClassifyAsync(Guid id, ClassifyIncidentRequest request, CancellationToken cancellationToken = default) =>
        await EvictOnSuccessAsync(await inner.ClassifyAsync(id, request, cancellationToken), r => r.Succeeded, cancellationToken);

    public async Task<Kuroco.Core.Common.Result> AddNoteAsync(Guid id, AddIncidentNoteRequest request, CancellationToken cancellationToken = default) =>
        await EvictOnSuccessAsync(await inner.AddNoteAsync(id, request, cancellationToken), r => r.Succeeded, cancellationToken);

    public ProgressReportState ProgressState(Incident incident) => inner.ProgressState(incident);

    public Task<IReadOnlyList<Incident>> ListOverdueAsync(CancellationToken cancellationToken = default) => inner.ListOverdueAsync(cancellationToken);

    public Task<IReadOnlyList<IncidentMonthRow>> MonthlyReportAsync(int months, CancellationToken cancellationToken = default) =>
        inner.MonthlyReportAsync(months, cancellationToken);

    public Task<IReadOnlyList<IncidentPublicView>> ListPublicAsync(DateTime sinceUtc, CancellationToken cancellationToken = default) =>
        inner.ListPublicAsync(sinceUtc, cancellationToken);

    private async Task<T> EvictOnSuccessAsync<T>(T result, Func<T, bool> succeeded, CancellationToken cancellationToken)
    {
        if (succeeded(result))
        {
            // Not the caller's token: the change is made, so its eviction must not be skipped by a closing page.
            await eviction.EvictAsync(CancellationToken.None);
        }
        return result;
    }
}

/// <summary>The SLA service, evicting the status page's cache after a maintenance window is scheduled, changed or cancelled.</summary>
internal sealed class StatusEvictingSlaService(Kuroco.Core.Sla.ISlaService inner, StatusCacheEviction eviction) : Kuroco.Core.Sla.ISlaService
{
    public Task<Kuroco.Core.Sla.SlaSettings> GetSettingsAsync(CancellationToken cancellationToken = default) => inner.GetSettingsAsync(cancellationToken);

    public Task<Kuroco.Core.Common.Result> SaveSettingsAsync(Kuroco.Core.Sla.SlaSettings settings, CancellationToken cancellationToken = default) =>
        inner.SaveSettingsAsync(settings, cancellationToken);

    public Task<Kuroco.Core.Sla.SlaMonth> GetMonthAsync(int year, int month, CancellationToken cancellationToken = default) =>
        inner.GetMonthAsync(year, month, cancellationToken);

    public Task<IReadOnlyList<Kuroco.Core.Sla.SlaMonth>> GetMonthsAsync(int count, CancellationToken cancellationToken = default) =>
        inner.GetMonthsAsync(count, cancellationToken);

    public Task<IReadOnlyList<Kuroco.Core.Sla.SlaDay>> GetDaysAsync(int days, CancellationToken cancellationToken = default) =>
        inner.GetDaysAsync(days, cancellationToken);

    public Task<IReadOnlyList<Kuroco.Core.Sla.SlaDay>> GetMonthDaysAsync(int year, int month, CancellationToken cancellationToken = default) =>
        inner.GetMonthDaysAsync(year, month, cancellationToken);

    public Task<IReadOnlyList<Kuroco.Core.Sla.MaintenanceWindow>> ListMaintenanceAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken = default) =>
        inner.ListMaintenanceAsync(fromUtc, toUtc, cancellationToken);

    public async Task<Kuroco.Core.Common.Result<Guid>> ScheduleMaintenanceAsync(Kuroco.Core.Sla.MaintenanceWindowRequest request, CancellationToken cancellationToken = default) =>
        await EvictOnSuccessAsync(await inner.ScheduleMaintenanceAsync(request, cancellationToken));

    public async Task<Kuroco.Core.Common.Result> UpdateMaintenanceAsync(Guid id, Kuroco.Core.Sla.MaintenanceWindowRequest request, CancellationToken cancellationToken = default) =>
        await EvictOnSuccessAsync(await inner.UpdateMaintenanceAsync(id, request, cancellationToken));

    public async Task<Kuroco.Core.Common.Result> CancelMaintenanceAsync(Guid id, CancellationToken cancellationToken = default) =>
        await EvictOnSuccessAsync(await inner.CancelMaintenanceAsync(id, cancellationToken));

    private async Task<T> EvictOnSuccessAsync<T>(T result) where T : Kuroco.Core.Common.Result
    {
        if (result.Succeeded)
        {
            await eviction.EvictAsync(CancellationToken.None);
        }
        return result;
    }
}
