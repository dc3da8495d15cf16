using Kuroco.Core.Audit;
using Kuroco.Core.Mail;
using Kuroco.Infrastructure.Data;
using Kuroco.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Mail;

/// <summary>Sending through the app's IMailSender and watching the outbox row the background job updates.</summary>
public abstract class MailTestsBase(KurocoAppFactory factory)
{
    protected KurocoAppFactory Factory => factory;

    protected Task<Guid> SendAsync(MailMessage message) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<IMailSender>().SendAsync(message));

    protected Task<OutboxMessage> RowAsync(Guid id) =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id));

    protected Task<OutboxMessage> WaitForAsync(Guid id, Func<OutboxMessage, bool> done, string what) =>
        Eventually.GetAsync(() => RowAsync(id), done, what);

    protected Task<int> OutboxCountAsync() =>
        factory.WithScopeAsync(sp => sp.GetRequiredService<KurocoDbContext>().OutboxMessages.CountAsync());

    protected async Task<List<AuditEntry>> AuditAsync(string action) =>
        [.. (await factory.AuditEntriesAsync()).Where(e => e.Action == action)];
}
