using System.Diagnostics;
using System.Globalization;
using System.Text;
using Kuroco.Core.Api;
using Kuroco.Core.Audit;
using Kuroco.Core.Content;
using Kuroco.Core.Members;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kuroco.Bench;

/// <summary>
/// Fills a fresh data folder for the delivery benchmark: a content type <c>bench</c> with 8 fields
/// (title, summary, body = ~2 KB of rich text, status, releasedAt, price, featured, tags; the slug is
/// the item's own), N items saved and published through the real <see cref="IContentItemService"/>
/// (so sanitizing, versions, audit entries and any derived table are written exactly as the console
/// writes them), and a read key for the type created through <see cref="IApiKeyService"/>. The key
/// is printed on the last line of standard output (for the benchmark script only; the data folder is
/// thrown away afterwards).
/// </summary>
internal static class DeliverySeed
{
    public const string TypeApiId = "bench";

    /// <summary>The member-only type of <see cref="RunMembersAsync"/>.</summary>
    public const string MembersTypeApiId = "benchmembers";

    /// <summary>The member of <see cref="RunMembersAsync"/>, in the group the member-only type is restricted to.</summary>
    public const string MemberEmail = "bench-member@example.com";

    private static readonly string[] Statuses = ["active", "inactive", "discontinued", "preorder"];

    private static readonly string[] TagPool =
        ["tokyo", "osaka", "kyoto", "sale", "new", "limited", "eco", "premium", "outdoor", "kitchen", "garden", "kids"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("seed-delivery DATA_FOLDER [ITEMS=10000] [PARALLEL=4]");
            return 2;
        }
        var dataPath = Path.GetFullPath(args[0]);
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var parallel = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;

        using var host = await OpenAsync(dataPath);
        var clock = Stopwatch.StartNew();
        if (await PublishAsync(host, BenchType(), count, parallel, clock) is not { } type)
        {
            return 1;
        }
        return await KeyAsync(host, "Delivery benchmark", [type.ApiId], clock, count);
    }

    /// <summary>
    /// seed-delivery-members DATA_FOLDER [ITEMS=2000] [PARALLEL=4]: for the member-only row, into a folder seeded by seed-delivery — a
    /// member group, an active member in it (<see cref="MemberEmail"/>, password <see cref="MemberSignInLoad.Password"/>), a type
    /// <see cref="MembersTypeApiId"/> like the bench type but restricted to the group (every item member-only), ITEMS published items
    /// of it, and a read key for both types (printed last).
    /// </summary>
    public static async Task<int> RunMembersAsync(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("seed-delivery-members DATA_FOLDER [ITEMS=2000] [PARALLEL=4]");
            return 2;
        }
        var dataPath = Path.GetFullPath(args[0]);
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000;
        var parallel = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
        using var host = await OpenAsync(dataPath);
        var clock = Stopwatch.StartNew();
        var group = new MemberGroup { Id = Guid.NewGuid(), NameJa = "ベンチマーク会員", NameEn = "Benchmark members", CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow };
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KurocoDbContext>();
            db.MemberGroups.Add(group);
            var now = DateTime.UtcNow;
            var member = MemberSignInLoad.NewMember(MemberEmail, "Bench Member", scope.ServiceProvider.GetRequiredService<IPasswordHasher<Member>>(), now);
            member.Groups.Add(new MemberGroupMembership { MemberId = member.Id, GroupId = group.Id, AddedAtUtc = now });
            db.Members.Add(member);
            await db.SaveChangesAsync();
        }
        var restricted = BenchType();
        restricted.ApiId = MembersTypeApiId;
        restricted.Name = "Benchmark member products";
        restricted.RestrictedToGroups = [group.Id];
        if (await PublishAsync(host, restricted, count, parallel, clock) is null)
        {
            return 1;
        }
        return await KeyAsync(host, "Delivery benchmark (member-only)", [TypeApiId, MembersTypeApiId], clock, count);
    }

    private static async Task<IHost> OpenAsync(string dataPath)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataPath"] = dataPath,
            ["Kuroco:Jobs:RunServer"] = "false",
            ["Kuroco:Bootstrap:AdminEmail"] = "bench@example.com",
            ["Kuroco:Bootstrap:AdminPassword"] = "Quiet-Harbor-7-Lantern!",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddInfrastructure(builder.Configuration, dataPath);
        builder.Services.AddScoped<IAuditContext, SeedAuditContext>();
        var host = builder.Build();
        await host.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        return host;
    }

    /// <summary>Saves the type and publishes <paramref name="count"/> items of it; null (after saying why) when anything is refused.</summary>
    private static async Task<ContentType?> PublishAsync(IHost host, ContentType definition, int count, int parallel, Stopwatch clock)
    {
        ContentType type;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var types = scope.ServiceProvider.GetRequiredService<IContentTypeService>();
            var saved = await types.SaveAsync(definition);
            if (!saved.Succeeded)
            {
                Console.Error.WriteLine("The bench type was refused: " + string.Join(" ", saved.Errors));
                return null;
            }
            type = saved.Value!;
        }

        // Several writers at once: the services are written for concurrent use (a context per call);
        // SQLite serializes the commits, the rest (sanitizing, validation, JSON) overlaps.
        var next = -1;
        var failures = 0;
        var workers = Enumerable.Range(0, Math.Max(1, parallel)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await using var scope = host.Services.CreateAsyncScope();
                var items = scope.ServiceProvider.GetRequiredService<IContentItemService>();
                var draft = await items.SaveDraftAsync(Item(type, i));
                var published = draft.Succeeded ? await scope.ServiceProvider.GetRequiredService<IContentPublishingService>().PublishAsync(new(draft.Value!.Id)) : null;
                if (published is not { Succeeded: true })
                {
                    if (Interlocked.Increment(ref failures) <= 3)
                    {
                        Console.Error.WriteLine($"Item {i}: " + string.Join(" ", (published ?? draft).Errors));
                    }
                }
                if ((i + 1) % 1000 == 0)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i + 1} items ({clock.Elapsed.TotalSeconds:F0} s)"));
                }
            }
        }).ToList();
        await Task.WhenAll(workers);
        if (failures > 0)
        {
            Console.Error.WriteLine($"{failures} items failed.");
            return null;
        }
        return type;
    }

    /// <summary>A read key for the types, printed as the last line of standard output.</summary>
    private static async Task<int> KeyAsync(IHost host, string name, List<string> typeApiIds, Stopwatch clock, int count)
    {
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var keys = scope.ServiceProvider.GetRequiredService<IApiKeyService>();
            var created = await keys.CreateAsync(new CreateApiKeyRequest
            {
                Name = name,
                AllTypes = false,
                Types = typeApiIds,
                Access = ApiAccess.Read,
            });
            if (!created.TryGetValue(out var issued))
            {
                Console.Error.WriteLine("The key was refused: " + string.Join(" ", created.Errors));
                return 1;
            }
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seeded {count} published items in {clock.Elapsed.TotalSeconds:F1} s."));
            Console.WriteLine(issued.Secret);
        }
        return 0;
    }

    private static ContentType BenchType() => new()
    {
        Name = "Benchmark products",
        ApiId = TypeApiId,
        Description = "Delivery benchmark: 8 fields, one a ~2 KB rich-text body.",
        Fields =
        [
            new() { Key = "title", LabelEn = "Title", Kind = FieldKind.ShortText, Required = true, MaxLength = 200 },
            new() { Key = "summary", LabelEn = "Summary", Kind = FieldKind.LongText, MaxLength = 1000 },
            new() { Key = "body", LabelEn = "Body", Kind = FieldKind.RichText },
            new() { Key = "status", LabelEn = "Status", Kind = FieldKind.SingleChoice, Required = true, Choices = [.. Statuses] },
            new() { Key = "releasedAt", LabelEn = "Released at", Kind = FieldKind.DateTime, Required = true },
            new() { Key = "price", LabelEn = "Price", Kind = FieldKind.Number, MinValue = 0 },
            new() { Key = "featured", LabelEn = "Featured", Kind = FieldKind.Boolean },
            new() { Key = "tags", LabelEn = "Tags", Kind = FieldKind.Tags },
        ],
    };

    private static ContentItemInput Item(ContentType type, int i)
    {
        // Deterministic: the same N items every run. Half the items are "active".
        var released = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i * 137L % 2_600_000);
        var tags = new[] { TagPool[i % TagPool.Length], TagPool[(i * 7 + 3) % TagPool.Length] }.Distinct();
        return new ContentItemInput
        {
            TypeId = type.Id,
            Slug = string.Create(CultureInfo.InvariantCulture, $"product-{i:D5}"),
            Ja = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["title"] = string.Create(CultureInfo.InvariantCulture, $"Product {i:D5}: hand-made ceramic cup, series {i % 37}"),
                ["summary"] = "A sturdy everyday cup thrown on the wheel and glazed by hand; every piece is slightly different.",
                ["body"] = Body(i),
                ["status"] = i % 2 == 0 ? "active" : Statuses[1 + (i / 2 % 3)],
                ["releasedAt"] = released.ToString("O", CultureInfo.InvariantCulture),
                ["price"] = (1200 + i % 500 * 10).ToString(CultureInfo.InvariantCulture),
                ["featured"] = i % 10 == 0 ? "true" : "false",
                ["tags"] = ContentValues.JoinList(tags),
            },
        };
    }

    /// <summary>About 2 KB of ordinary article HTML (headings, paragraphs, a list, a link, emphasis).</summary>
    private static string Body(int i)
    {
        var html = new StringBuilder(2200);
        html.Append(CultureInfo.InvariantCulture, $"<h2>About product {i:D5}</h2>");
        html.Append("<p>This cup is thrown on the wheel in our workshop and glazed by hand. Small differences in colour and shape ");
        html.Append("are part of its character: no two pieces are exactly alike, and that is what our customers love about them.</p>");
        html.Append("<p>The clay comes from a family-run quarry we have worked with for twenty years. It is fired twice, the second ");
        html.Append("time at 1,250 °C, which makes the cup <strong>dishwasher-safe</strong> and strong enough for daily use.</p>");
        html.Append("<h3>Details</h3><ul>");
        html.Append(CultureInfo.InvariantCulture, $"<li>Capacity: {200 + i % 150} ml</li><li>Height: {8 + i % 4} cm, diameter: {7 + i % 3} cm</li>");
        html.Append("<li>Microwave and dishwasher safe</li><li>Packed in recycled paper, without plastic</li></ul>");
        html.Append("<p>Care: rinse before first use. Avoid sudden temperature changes, such as pouring boiling water into a cup ");
        html.Append("straight from the fridge. Small crazing in the glaze is normal and does not affect use.</p>");
        html.Append("<h3>Shipping</h3><p>Orders placed before noon (JST) leave the workshop the same day. Delivery inside Japan ");
        html.Append("takes one to three days; international orders are sent by EMS with tracking. See our ");
        html.Append("<a href=\"https://www.example.com/shipping\">shipping page</a> for costs and customs information.</p>");
        html.Append("<p><em>Every piece is inspected before packing. If yours arrives damaged, send us a photo within seven days ");
        html.Append("and we will replace it free of charge.</em></p>");
        html.Append("<blockquote><p>“The glaze catches the morning light beautifully. I use it every day.” — a customer in Sapporo</p></blockquote>");
        return html.ToString();
    }

    /// <summary>The seeder acts as the system, like a job.</summary>
    private sealed class SeedAuditContext : IAuditContext
    {
        public ValueTask<AuditActor> GetActorAsync() => ValueTask.FromResult(new AuditActor(null, "bench seeder", []));

        public AuditOrigin GetOrigin() => AuditOrigin.None;
    }
}
