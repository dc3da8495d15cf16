using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MembersImport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MemberImportHeaders",
                columns: table => new
                {
                    Header = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Target = table.Column<int>(type: "INTEGER", nullable: false),
                    FieldKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemberImportHeaders", x => x.Header);
                });

            migrationBuilder.CreateTable(
                name: "MemberImports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    DetectedEncoding = table.Column<int>(type: "INTEGER", nullable: false),
                    HasBom = table.Column<bool>(type: "INTEGER", nullable: false),
                    Encoding = table.Column<int>(type: "INTEGER", nullable: false),
                    Existing = table.Column<int>(type: "INTEGER", nullable: false),
                    SendInvitations = table.Column<bool>(type: "INTEGER", nullable: false),
                    GroupDelimiter = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Columns = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    TotalRows = table.Column<int>(type: "INTEGER", nullable: false),
                    ProcessedRows = table.Column<int>(type: "INTEGER", nullable: false),
                    LastCommittedBatch = table.Column<int>(type: "INTEGER", nullable: false),
                    DryRunCreate = table.Column<int>(type: "INTEGER", nullable: false),
                    DryRunUpdate = table.Column<int>(type: "INTEGER", nullable: false),
                    DryRunSkip = table.Column<int>(type: "INTEGER", nullable: false),
                    DryRunRefused = table.Column<int>(type: "INTEGER", nullable: false),
                    Created = table.Column<int>(type: "INTEGER", nullable: false),
                    Updated = table.Column<int>(type: "INTEGER", nullable: false),
                    Skipped = table.Column<int>(type: "INTEGER", nullable: false),
                    Refused = table.Column<int>(type: "INTEGER", nullable: false),
                    InvitationsQueued = table.Column<int>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ActorRoles = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DryRunAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ApplyStartedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CompletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FilesDeletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ConcurrencyToken = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemberImports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MemberImportInvitations",
                columns: table => new
                {
                    ImportId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SentAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemberImportInvitations", x => new { x.ImportId, x.MemberId });
                    table.ForeignKey(
                        name: "FK_MemberImportInvitations_MemberImports_ImportId",
                        column: x => x.ImportId,
                        principalTable: "MemberImports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MemberImportInvitations_Members_MemberId",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MemberImportInvitations_ImportId_SentAtUtc",
                table: "MemberImportInvitations",
                columns: new[] { "ImportId", "SentAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_MemberImportInvitations_MemberId",
                table: "MemberImportInvitations",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_MemberImports_CreatedAtUtc",
                table: "MemberImports",
                column: "CreatedAtUtc");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MemberImportHeaders");

            migrationBuilder.DropTable(
                name: "MemberImportInvitations");

            migrationBuilder.DropTable(
                name: "MemberImports");
        }
    }
}
