using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditSearchText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "AuditEntries",
                type: "TEXT",
                nullable: true);

            // The free-text index also reads the rendered summaries of language-neutral entries (IAuditSearchText), so
            // the words an officer reads find them. FTS5 cannot add a column: the index is made again with it and rebuilt
            // from the entries (on SQLite; SQL Server searches the column with LIKE). A large log takes a while here
            // (under 20 minutes at 5,000,000 entries on 2 cores: bench/README.md, "Audit search").
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_AuditEntries_Search_Insert";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_AuditEntries_Search_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_AuditEntries_Search_Update";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "AuditSearch";""");
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "AuditSearch" USING fts5(
                    "Summary", "Parameters", "ActorName", "EntityId", "IpAddress", "Changes", "SearchText",
                    content = 'AuditEntries', content_rowid = 'Sequence', tokenize = 'trigram');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditEntries_Search_Insert" AFTER INSERT ON "AuditEntries" BEGIN
                    INSERT INTO "AuditSearch" (rowid, "Summary", "Parameters", "ActorName", "EntityId", "IpAddress", "Changes", "SearchText")
                    VALUES (new."Sequence", new."Summary", new."Parameters", new."ActorName", new."EntityId", new."IpAddress", new."Changes", new."SearchText");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditEntries_Search_Delete" AFTER DELETE ON "AuditEntries" BEGIN
                    INSERT INTO "AuditSearch" ("AuditSearch", rowid, "Summary", "Parameters", "ActorName", "EntityId", "IpAddress", "Changes", "SearchText")
                    VALUES ('delete', old."Sequence", old."Summary", old."Parameters", old."ActorName", old."EntityId", old."IpAddress", old."Changes", old."SearchText");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditEntries_Search_Update" AFTER UPDATE ON "AuditEntries" BEGIN
                    INSERT INTO "AuditSearch" ("AuditSearch", rowid, "Summary", "Parameters", "ActorName", "EntityId", "IpAddress", "Changes", "SearchText")
                    VALUES ('delete', old."Sequence", old."Summary", old."Parameters", old."ActorName", old."EntityId", old."IpAddress", old."Changes", old."SearchText");
                    INSERT INTO "AuditSearch" (rowid, "Summary", "Parameters", "ActorName", "EntityId", "IpAddress", "Changes", "SearchText")
                    VALUES (new."Sequence", new."Summary", new."Parameters", new."ActorName", new."EntityId", new."IpAddress", new."Changes", new."SearchText");
                END;
                """);
            migrationBuilder.Sql("""INSERT INTO "AuditSearch" ("AuditSearch") VALUES ('rebuild');""");
            // No merging inside appends: with FTS5's default (automerge 4) every one-entry commit also merges index
            // segments, which at millions of entries costs several times the insert itself. Appends only add segments
            // (FTS5 still merges when a level reaches 16), and the daily retention job merges them
            // (AuditSearchIndexMaintenance).
            migrationBuilder.Sql("""INSERT INTO "AuditSearch" ("AuditSearch", rank) VALUES ('automerge', 0);""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_AuditEntries_Search_Insert";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_AuditEntries_Search_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_AuditEntries_Search_Update";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "AuditSearch";""");
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "AuditSearch" USING fts5(
                    "Summary", "Parameters", "ActorName", "EntityId", "IpAddress", "Changes",
                    content = 'AuditEntries', content_rowid = 'Sequence', tokenize = 'trigram');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditEntries_Search_Insert" AFTER INSERT ON "AuditEntries" BEGIN
                    INSERT INTO "AuditSearch" (rowid, "Summary", "Parameters", "ActorName", "EntityId", "IpAddress", "Changes")
                    VALUES (new."Sequence", new."Summary", new."Parameters", new."ActorName", new."EntityId", new."IpAddress", new."Changes");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditEntries_Search_Delete" AFTER DELETE ON "AuditEntries" BEGIN
                    INSERT INTO "AuditSearch" ("AuditSearch", rowid, "Summary", "Parameters", "ActorName", "EntityId", "IpAddress", "Changes")
                    VALUES ('delete', old."Sequence", old."Summary", old."Parameters", old."ActorName", old."EntityId", old."IpAddress", old."Changes");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditEntries_Search_Update" AFTER UPDATE ON "AuditEntries" BEGIN
                    INSERT INTO "AuditSearch" ("AuditSearch", rowid, "Summary", "Parameters", "ActorName", "EntityId", "IpAddress", "Changes")
                    VALUES ('delete', old."Sequence", old."Summary", old."Parameters", old."ActorName", old."EntityId", old."IpAddress", old."Changes");
                    INSERT INTO "AuditSearch" (rowid, "Summary", "Parameters", "ActorName", "EntityId", "IpAddress", "Changes")
                    VALUES (new."Sequence", new."Summary", new."Parameters", new."ActorName", new."EntityId", new."IpAddress", new."Changes");
                END;
                """);
            migrationBuilder.Sql("""INSERT INTO "AuditSearch" ("AuditSearch") VALUES ('rebuild');""");
            // SQLite drops the column in place (no table rebuild, which would drop the search triggers and rebuild the
            // indexes from an older model).
            migrationBuilder.Sql("""ALTER TABLE "AuditEntries" DROP COLUMN "SearchText";""");
        }
    }
}
