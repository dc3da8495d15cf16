using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kuroco.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LoginSecurity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "IpAllowlistRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    List = table.Column<int>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Cidr = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IpAllowlistRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PasswordHistory",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PasswordHistory", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PasswordHistory_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PasswordPolicies",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    MinLength = table.Column<int>(type: "INTEGER", nullable: false),
                    MaxLength = table.Column<int>(type: "INTEGER", nullable: false),
                    RequireLowercase = table.Column<bool>(type: "INTEGER", nullable: false),
                    RequireUppercase = table.Column<bool>(type: "INTEGER", nullable: false),
                    RequireDigit = table.Column<bool>(type: "INTEGER", nullable: false),
                    RequireSymbol = table.Column<bool>(type: "INTEGER", nullable: false),
                    MinCharacterClasses = table.Column<int>(type: "INTEGER", nullable: false),
                    ExpiryDays = table.Column<int>(type: "INTEGER", nullable: false),
                    ExpiryWarningDays = table.Column<int>(type: "INTEGER", nullable: false),
                    MaxFailedAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LockoutMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    LockoutUntilUnlocked = table.Column<bool>(type: "INTEGER", nullable: false),
                    HistoryCount = table.Column<int>(type: "INTEGER", nullable: false),
                    RememberMeAllowed = table.Column<bool>(type: "INTEGER", nullable: false),
                    RememberMeDays = table.Column<int>(type: "INTEGER", nullable: false),
                    RejectPersonalInfo = table.Column<bool>(type: "INTEGER", nullable: false),
                    RejectCommonPasswords = table.Column<bool>(type: "INTEGER", nullable: false),
                    MinStrengthScore = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PasswordPolicies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SessionPolicySettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    IdleTimeoutMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    AbsoluteLifetimeMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    TwoFactorRequiredRoles = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    UpdatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SessionPolicySettings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IpAllowlistRules_List_Position",
                table: "IpAllowlistRules",
                columns: new[] { "List", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_PasswordHistory_UserId_CreatedAtUtc",
                table: "PasswordHistory",
                columns: new[] { "UserId", "CreatedAtUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IpAllowlistRules");

            migrationBuilder.DropTable(
                name: "PasswordHistory");

            migrationBuilder.DropTable(
                name: "PasswordPolicies");

            migrationBuilder.DropTable(
                name: "SessionPolicySettings");
        }
    }
}
