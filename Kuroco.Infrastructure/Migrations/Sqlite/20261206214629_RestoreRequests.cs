using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RestoreRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RestoreRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Reference = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    CustomerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ContactEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ContactLanguage = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    ScopeJson = table.Column<string>(type: "TEXT", nullable: false),
                    LastKnownGoodUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Work = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ReceivedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReceivedByStaffId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    FeeJpy = table.Column<int>(type: "INTEGER", nullable: true),
                    PromisedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    QuotedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ApprovalTokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ApprovalTokenExpiresAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ApprovedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ApprovalMethod = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ApprovalNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    GenerationId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    PreviewJson = table.Column<string>(type: "TEXT", nullable: true),
                    ExtractedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ResolutionsJson = table.Column<string>(type: "TEXT", nullable: true),
                    SummaryJson = table.Column<string>(type: "TEXT", nullable: true),
                    AppliedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    NotifiedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClosedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RestoreRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RestoreRequestSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    FeeJpy = table.Column<int>(type: "INTEGER", nullable: false),
                    ApprovalLinkDays = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RestoreRequestSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RestoreRequestEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Event = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StaffId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RestoreRequestEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RestoreRequestEvents_RestoreRequests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "RestoreRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RestoreRequestEvents_RequestId_AtUtc",
                table: "RestoreRequestEvents",
                columns: new[] { "RequestId", "AtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_RestoreRequests_ApprovalTokenHash",
                table: "RestoreRequests",
                column: "ApprovalTokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RestoreRequests_ReceivedAtUtc",
                table: "RestoreRequests",
                column: "ReceivedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_RestoreRequests_Reference",
                table: "RestoreRequests",
                column: "Reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RestoreRequests_State_ReceivedAtUtc",
                table: "RestoreRequests",
                columns: new[] { "State", "ReceivedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_RestoreRequests_Year_Number",
                table: "RestoreRequests",
                columns: new[] { "Year", "Number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RestoreRequestEvents");

            migrationBuilder.DropTable(
                name: "RestoreRequestSettings");

            migrationBuilder.DropTable(
                name: "RestoreRequests");
        }
    }
}
