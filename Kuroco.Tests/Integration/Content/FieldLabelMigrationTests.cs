using Kuroco.Core.Content;
using Kuroco.Infrastructure;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Content;

/// <summary>
/// The FieldLabelsInTwoLanguages migration on a real SQLite file: a type saved with one label per field (the
/// JSON the console wrote before) comes out with that label in English and Japanese, and nothing else changes;
/// going back gives one label again.
/// </summary>
public sealed class FieldLabelMigrationTests : IAsyncLifetime
{
    /// <summary>The SQLite migration before this one.</summary>
    private const string Before = "20261126052824_DeliveryApi";
    private const string Migration = "FieldLabelsInTwoLanguages";

    // As the old EF converter wrote it: enum names, non-ASCII escaped, read-only properties included.
    private const string LegacyFields = """
        [{"Key":"title","Label":"Title","Kind":"ShortText","Required":true,"MinLength":null,"MaxLength":100,"MinValue":null,"MaxValue":null,"Pattern":null,"Unique":true,"Choices":[],"ReferenceTypeApiId":null,"IsArchived":false,"IsTextKind":true,"IsListKind":false},
         {"Key":"price","Label":"\u4FA1\u683C \"JPY\"","Kind":"Number","Required":false,"MinLength":null,"MaxLength":null,"MinValue":0.1,"MaxValue":12345678901234.5,"Pattern":null,"Unique":false,"Choices":[],"ReferenceTypeApiId":null,"IsArchived":false,"IsTextKind":false,"IsListKind":false},
         {"Key":"color","Label":"Color","Kind":"SingleChoice","Required":false,"MinLength":null,"MaxLength":null,"MinValue":null,"MaxValue":null,"Pattern":"^[a-z]+$","Unique":false,"Choices":["red","\u9752"],"ReferenceTypeApiId":null,"IsArchived":false,"IsTextKind":false,"IsListKind":false},
         {"Key":"old","Label":"Old notes","Kind":"LongText","Required":false,"MinLength":null,"MaxLength":null,"MinValue":null,"MaxValue":null,"Pattern":null,"Unique":false,"Choices":[],"ReferenceTypeApiId":null,"IsArchived":true,"IsTextKind":true,"IsListKind":false}]
        """;

    private readonly string dataPath = Path.Combine(Path.GetTempPath(), "kuroco-tests", "labels-" + Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider services;
    private readonly AsyncServiceScope scope;

    public FieldLabelMigrationTests()
    {
        Directory.CreateDirectory(dataPath);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Storage:DataPath"] = dataPath,
        }).Build();
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddInfrastructure(configuration, dataPath);
        services = collection.BuildServiceProvider();
        scope = services.CreateAsyncScope();
    }

    private KurocoDbContext Db => scope.ServiceProvider.GetRequiredService<KurocoDbContext>();

    private static string MigrationId(KurocoDbContext db) => db.Database.GetMigrations().Single(m => m.EndsWith("_" + Migration, StringComparison.Ordinal));

    private async Task<string> StoredFieldsAsync(Guid id) =>
        (await Db.Database.SqlQuery<string>($"SELECT \"Fields\" AS \"Value\" FROM \"ContentTypes\" WHERE \"Id\" = {id}").ToListAsync()).Single();

    private async Task<Guid> InsertAsync(string apiId, string fieldsJson)
    {
        // The row as the previous version wrote it: only the columns that version had (today's model has more), parameterized.
        var id = Guid.NewGuid();
        var token = Guid.NewGuid();
        var now = DateTime.UtcNow;
        await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO "ContentTypes" ("Id", "Name", "ApiId", "Fields", "CreatedAtUtc", "UpdatedAtUtc", "ConcurrencyToken", "RequiresApproval",
                "IsPublic", "CacheMaxAgeSeconds", "CacheStaleWhileRevalidateSeconds", "CacheStaleIfErrorSeconds")
            VALUES ({id}, {apiId}, {apiId}, {fieldsJson}, {now}, {now}, {token}, 0, 0, 0, 0, 0)
            """);
        return id;
    }

    [Fact]
    public async Task An_existing_label_becomes_the_English_and_the_Japanese_label_and_comes_back_on_the_way_down()
    {
        var migrator = Db.GetService<IMigrator>();
        await migrator.MigrateAsync(Before);
        var legacy = await InsertAsync("legacy", LegacyFields);
        var empty = await InsertAsync("empty", "[]");

        await migrator.MigrateAsync();

        var type = await Db.ContentTypes.AsNoTracking().SingleAsync(t => t.Id == legacy);
        Assert.Equal(["title", "price", "color", "old"], type.Fields.Select(f => f.Key));
        Assert.All(type.Fields, f => Assert.Equal(f.LabelEn, f.LabelJa));
        Assert.Equal(["Title", "価格 \"JPY\"", "Color", "Old notes"], type.Fields.Select(f => f.LabelEn));
        // Every other property as it was.
        var title = type.Fields[0];
        Assert.True(title.Required);
        Assert.True(title.Unique);
        Assert.Equal(100, title.MaxLength);
        Assert.Equal(FieldKind.ShortText, title.Kind);
        Assert.Equal(0.1m, type.Fields[1].MinValue);
        Assert.Equal(12345678901234.5m, type.Fields[1].MaxValue);
        Assert.Equal(["red", "青"], type.Fields[2].Choices);
        Assert.Equal("^[a-z]+$", type.Fields[2].Pattern);
        Assert.True(type.Fields[3].IsArchived);
        Assert.DoesNotContain("\"Label\"", await StoredFieldsAsync(legacy), StringComparison.Ordinal);
        Assert.Equal("[]", await StoredFieldsAsync(empty));
        // The rules read the new labels: the Japanese console shows the Japanese one.
        Assert.Equal("価格 \"JPY\"", type.Fields[1].LabelFor(ContentLanguages.Japanese));

        // A type saved afterwards with one label only keeps it that way, and going down gives one label again.
        var newer = await InsertAsync("newer", """[{"Key":"name","LabelEn":"","LabelJa":"名前","Kind":"ShortText","Choices":[]}]""");
        await migrator.MigrateAsync(Before);

        var down = await StoredFieldsAsync(legacy);
        Assert.Contains("\"Label\":\"Title\"", down, StringComparison.Ordinal);
        Assert.DoesNotContain("LabelEn", down, StringComparison.Ordinal);
        Assert.DoesNotContain("LabelJa", down, StringComparison.Ordinal);
        Assert.Contains("\"Label\":\"名前\"", await StoredFieldsAsync(newer), StringComparison.Ordinal);
    }

    [Fact]
    public void The_SQL_Server_migration_rewrites_the_labels_too()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "SqlServer",
            ["Storage:DataPath"] = dataPath,
            ["ConnectionStrings:Kuroco"] = "Server=sql.invalid;Database=Kuroco;User Id=kuroco;Password=not-used;TrustServerCertificate=True",
        }).Build();
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddInfrastructure(configuration, dataPath);
        using var provider = collection.BuildServiceProvider();
        using var sqlServer = provider.CreateScope();
        var db = sqlServer.ServiceProvider.GetRequiredService<KurocoDbContext>();
        var id = MigrationId(db);
        var previous = db.Database.GetMigrations().TakeWhile(m => m != id).Last();

        var script = db.GetService<IMigrator>().GenerateScript(previous, id, MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("OPENJSON([ContentTypes].[Fields])", script, StringComparison.Ordinal);
        Assert.Contains("'$.LabelEn', COALESCE(JSON_VALUE(f.[value], '$.Label'), N'')", script, StringComparison.Ordinal);
        Assert.Contains("'$.LabelJa', COALESCE(JSON_VALUE(f.[value], '$.Label'), N'')", script, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await scope.DisposeAsync();
        await services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataPath, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
