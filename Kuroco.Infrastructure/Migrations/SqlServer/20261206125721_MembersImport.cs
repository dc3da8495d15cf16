using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.SqlServer
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
                    Header = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Target = table.Column<int>(type: "int", nullable: false),
                    FieldKey = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    UpdatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemberImportHeaders", x => x.Header);
                });

            migrationBuilder.CreateTable(
                name: "MemberImports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    FileName = table.Column<string>(type: "nvarchar(255)", maxLength: 255, nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    DetectedEncoding = table.Column<int>(type: "int", nullable: false),
                    HasBom = table.Column<bool>(type: "bit", nullable: false),
                    Encoding = table.Column<int>(type: "int", nullable: false),
                    Existing = table.Column<int>(type: "int", nullable: false),
                    SendInvitations = table.Column<bool>(type: "bit", nullable: false),
                    GroupDelimiter = table.Column<string>(type: "nvarchar(8)", maxLength: 8, nullable: false),
                    Columns = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Status = table.Column<int>(type: "int", nullable: false),
                    TotalRows = table.Column<int>(type: "int", nullable: false),
                    ProcessedRows = table.Column<int>(type: "int", nullable: false),
                    LastCommittedBatch = table.Column<int>(type: "int", nullable: false),
                    DryRunCreate = table.Column<int>(type: "int", nullable: false),
                    DryRunUpdate = table.Column<int>(type: "int", nullable: false),
                    DryRunSkip = table.Column<int>(type: "int", nullable: false),
                    DryRunRefused = table.Column<int>(type: "int", nullable: false),
                    Created = table.Column<int>(type: "int", nullable: false),
                    Updated = table.Column<int>(type: "int", nullable: false),
                    Skipped = table.Column<int>(type: "int", nullable: false),
                    Refused = table.Column<int>(type: "int", nullable: false),
                    InvitationsQueued = table.Column<int>(type: "int", nullable: false),
                    Error = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    ActorId = table.Column<string>(type: "nvarchar(450)", maxLength: 450, nullable: true),
                    ActorName = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    ActorRoles = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    DryRunAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ApplyStartedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    CompletedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    FilesDeletedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ConcurrencyToken = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MemberImports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MemberImportInvitations",
                columns: table => new
                {
                    ImportId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    MemberId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SentAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    Error = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true)
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
