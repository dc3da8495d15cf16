using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditSearchIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_Action",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_OccurredAtUtc",
                table: "AuditEntries");

            migrationBuilder.CreateTable(
                name: "AuditSavedFilters",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Query = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditSavedFilters", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AuditSavedFilters_AspNetUsers_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Action_OccurredAtUtc_Sequence",
                table: "AuditEntries",
                columns: new[] { "Action", "OccurredAtUtc", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_ActorName_OccurredAtUtc_Sequence",
                table: "AuditEntries",
                columns: new[] { "ActorName", "OccurredAtUtc", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_OccurredAtUtc_Sequence",
                table: "AuditEntries",
                columns: new[] { "OccurredAtUtc", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditSavedFilters_OwnerId",
                table: "AuditSavedFilters",
                column: "OwnerId");

            // The audit search's free text (Kuroco.Infrastructure/Audit/AuditSearchQuery.cs): an FTS5 index with the trigram
            // tokenizer over the entry's summary, parameters (format 2 entries store values, not prose), actor, entity id, address and changes. External content (the text stays in
            // AuditEntries only) with rowid = Sequence; triggers write it in the append's own transaction, and keep it right
            // when rows are removed (retention) or, against the rules, edited (tampering, which the chain check reports).
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
            // The entries stored so far.
            migrationBuilder.Sql("""INSERT INTO "AuditSearch" ("AuditSearch") VALUES ('rebuild');""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_AuditEntries_Search_Update";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_AuditEntries_Search_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "TR_AuditEntries_Search_Insert";""");
            migrationBuilder.Sql("""DROP TABLE IF EXISTS "AuditSearch";""");

            migrationBuilder.DropTable(
                name: "AuditSavedFilters");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_Action_OccurredAtUtc_Sequence",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_ActorName_OccurredAtUtc_Sequence",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_OccurredAtUtc_Sequence",
                table: "AuditEntries");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Action",
                table: "AuditEntries",
                column: "Action");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_OccurredAtUtc",
                table: "AuditEntries",
                column: "OccurredAtUtc");
        }
    }
}
