using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MembersConsole : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Members_LockoutEndUtc",
                table: "Members",
                column: "LockoutEndUtc");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_EntityType_EntityId_Sequence",
                table: "AuditEntries",
                columns: new[] { "EntityType", "EntityId", "Sequence" });

            // The member list's partial search (Kuroco.Infrastructure/Members/MemberSearchIndex.cs): an FTS5 trigram index of
            // Members.SearchText, its rowid mapped to the member, kept in step by triggers, filled from the members stored now.
            // A later migration that rebuilds the Members table (SQLite cannot alter a column in place) drops these triggers
            // and IX_Members_SearchText with it: it must create them again.
            migrationBuilder.Sql("""
                CREATE TABLE "MemberSearchKeys" ("Id" INTEGER NOT NULL PRIMARY KEY, "MemberId" TEXT NOT NULL UNIQUE);
                """);
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE "MemberSearch" USING fts5("SearchText", tokenize = 'trigram');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_Members_Search_Insert" AFTER INSERT ON "Members" BEGIN
                    INSERT INTO "MemberSearchKeys" ("MemberId") VALUES (new."Id");
                    INSERT INTO "MemberSearch" (rowid, "SearchText") VALUES (last_insert_rowid(), new."SearchText");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_Members_Search_Update" AFTER UPDATE OF "SearchText" ON "Members" WHEN new."SearchText" IS NOT old."SearchText" BEGIN
                    UPDATE "MemberSearch" SET "SearchText" = new."SearchText"
                    WHERE rowid = (SELECT "Id" FROM "MemberSearchKeys" WHERE "MemberId" = new."Id");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_Members_Search_Delete" AFTER DELETE ON "Members" BEGIN
                    DELETE FROM "MemberSearch" WHERE rowid = (SELECT "Id" FROM "MemberSearchKeys" WHERE "MemberId" = old."Id");
                    DELETE FROM "MemberSearchKeys" WHERE "MemberId" = old."Id";
                END;
                """);
            // Words shorter than a trigram are tested on SearchText itself: counting them reads this narrow index, not the table.
            // Partial, so that only a query saying "SearchText <> ''" uses it (a plain count keeps its smaller index). SQLite
            // only: SQL Server limits an index key to 1,700 bytes, and SearchText may be longer.
            migrationBuilder.Sql("""
                CREATE INDEX "IX_Members_SearchText" ON "Members" ("SearchText") WHERE "SearchText" <> '';
                """);
            migrationBuilder.Sql("""
                INSERT INTO "MemberSearchKeys" ("MemberId") SELECT "Id" FROM "Members";
                """);
            migrationBuilder.Sql("""
                INSERT INTO "MemberSearch" (rowid, "SearchText") SELECT k."Id", m."SearchText" FROM "MemberSearchKeys" AS k JOIN "Members" AS m ON m."Id" = k."MemberId";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX IF EXISTS "IX_Members_SearchText";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_Members_Search_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_Members_Search_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_Members_Search_Insert";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "MemberSearch";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "MemberSearchKeys";""");
            migrationBuilder.DropIndex(
                name: "IX_Members_LockoutEndUtc",
                table: "Members");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_EntityType_EntityId_Sequence",
                table: "AuditEntries");
        }
    }
}
