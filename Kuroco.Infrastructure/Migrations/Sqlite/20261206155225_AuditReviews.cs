using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditReviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditReviews",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Month = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 7, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    TimeZoneId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PeriodStartUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PeriodEndUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FirstSequence = table.Column<long>(type: "INTEGER", nullable: true),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: true),
                    EntryCount = table.Column<long>(type: "INTEGER", nullable: false),
                    Totals = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    PreparedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SignedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SignedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    SignedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    SignOffSequence = table.Column<long>(type: "INTEGER", nullable: true),
                    SignOffHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LastReminderAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReminderCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditReviews", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditReviewSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    FailedSignInThreshold = table.Column<int>(type: "INTEGER", nullable: false),
                    FailedSignInWindowMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    NewAddressLookbackDays = table.Column<int>(type: "INTEGER", nullable: false),
                    DeletionThreshold = table.Column<int>(type: "INTEGER", nullable: false),
                    DeletionWindowMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    BusinessStartMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    BusinessEndMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    BusinessDays = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OverdueDays = table.Column<int>(type: "INTEGER", nullable: false),
                    TimeZoneId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditReviewSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditReviewFindings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ReviewId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    EntryCount = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Sequences = table.Column<string>(type: "TEXT", nullable: false),
                    Actions = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Decision = table.Column<int>(type: "INTEGER", nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    DecidedById = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DecidedByName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    DecidedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditReviewFindings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AuditReviewFindings_AuditReviews_ReviewId",
                        column: x => x.ReviewId,
                        principalTable: "AuditReviews",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditReviewFindings_ReviewId",
                table: "AuditReviewFindings",
                column: "ReviewId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditReviews_Month_Version",
                table: "AuditReviews",
                columns: new[] { "Month", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditReviewFindings");

            migrationBuilder.DropTable(
                name: "AuditReviewSettings");

            migrationBuilder.DropTable(
                name: "AuditReviews");
        }
    }
}
