using Bunit;
using Kuroco.Admin.Components.Shared;
using Kuroco.Tests.Support;

namespace Kuroco.Tests.Components.Shared;

public sealed class LocalTimeTests
{
    [Fact]
    public async Task Utc_time_is_shown_in_the_users_zone()
    {
        await using var test = new ComponentTestContext();
        test.SignIn("u1", "officer@test.local");
        var cut = test.Context.Render<LocalTime>(p => p.Add(c => c.Value, new DateTime(2026, 11, 25, 15, 30, 0, DateTimeKind.Utc)));
        // Asia/Tokyo is UTC+9: 15:30 UTC is 00:30 the next day.
        cut.WaitForAssertion(() => Assert.Contains("2026-11-26 00:30:00", cut.Markup));
        Assert.Contains("datetime=\"2026-11-25T15:30:00.0000000Z\"", cut.Markup);
    }
}
