//! Organiser accounts, logins and roles in storage, and `etape admin create`, on both engines.

use crate::on_both_engines;
use crate::support::{edition_fixture, stage_fixture, TestDb};
use app::db::accounts::{self, NewAccount};
use app::db::{editions, sessions, stages, Db, DbError};
use app::domain::access::Role;
use app::domain::registration::Email;
use app::domain::{EditionStatus, Lineup, StageStatus};
use chrono::{Days, Duration, Utc};

fn email(raw: &str) -> Email {
    Email::parse(raw).unwrap()
}

async fn new_account(db: &Db, address: &str) -> String {
    accounts::create(
        db,
        NewAccount {
            email: &email(address),
            name: "Amina Diallo",
            password_hash: "$argon2id$stand-in",
            platform_admin: false,
        },
        Utc::now(),
    )
    .await
    .unwrap()
}

/// An edition "roles-week" with the stages lyon and paris; returns (edition, lyon, paris) ids.
async fn edition_with_two_stages(db: &Db) -> (String, String, String) {
    let today = Utc::now().date_naive();
    let edition = edition_fixture(
        "roles-week",
        today + Days::new(20),
        EditionStatus::Published,
    );
    let opens = today.and_hms_opt(9, 0, 0).unwrap();
    let programme: Vec<_> = ["lyon", "paris"]
        .iter()
        .map(|slug| {
            let stage = stage_fixture(&edition, slug, 10, StageStatus::Published, opens);
            (stage, Lineup::default())
        })
        .collect();
    editions::insert_edition_programme(db, &edition, &programme)
        .await
        .unwrap();
    let record = editions::find_edition(db, "roles-week")
        .await
        .unwrap()
        .unwrap();
    let lyon = stages::find_public_stage(db, &record.id, "lyon")
        .await
        .unwrap()
        .unwrap();
    let paris = stages::find_public_stage(db, &record.id, "paris")
        .await
        .unwrap()
        .unwrap();
    (record.id, lyon.id, paris.id)
}

async fn one_account_per_address(db: &Db) {
    let id = new_account(db, "amina@example.org").await;
    let again = accounts::create(
        db,
        NewAccount {
            email: &email("  AMINA@example.org "),
            name: "Someone else",
            password_hash: "$argon2id$other",
            platform_admin: true,
        },
        Utc::now(),
    )
    .await;
    assert!(matches!(again, Err(DbError::UniqueViolation)), "{again:?}");

    let (account, hash) = accounts::login_by_email(db, &email("Amina@Example.org"))
        .await
        .unwrap()
        .expect("found by its address, however typed");
    assert_eq!(account.id, id);
    assert_eq!(account.name, "Amina Diallo");
    assert!(!account.platform_admin);
    assert_eq!(hash, "$argon2id$stand-in");
    assert!(accounts::login_by_email(db, &email("nobody@example.org"))
        .await
        .unwrap()
        .is_none());

    accounts::set_password_hash(db, &id, "$argon2id$new")
        .await
        .unwrap();
    let (_, hash) = accounts::login_by_email(db, &email("amina@example.org"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(hash, "$argon2id$new");
}
on_both_engines!(one_account_per_address);

async fn roles_are_stored_once_each(db: &Db) {
    let (edition, lyon, paris) = edition_with_two_stages(db).await;
    let id = new_account(db, "team@example.org").await;
    let account = accounts::find(db, &id).await.unwrap().unwrap();
    assert_eq!(accounts::roles(db, &account).await.unwrap(), vec![]);

    let organiser = |stage: &str| Role::StageOrganiser {
        edition: edition.clone(),
        stage: stage.to_owned(),
    };
    let now = Utc::now();
    accounts::grant(db, &id, &organiser(&lyon), now)
        .await
        .unwrap();
    accounts::grant(db, &id, &organiser(&lyon), now)
        .await
        .unwrap();
    accounts::grant(db, &id, &organiser(&paris), now)
        .await
        .unwrap();
    let admin = Role::EditionAdmin {
        edition: edition.clone(),
    };
    accounts::grant(db, &id, &admin, now).await.unwrap();
    accounts::grant(db, &id, &admin, now).await.unwrap();
    let mut roles = accounts::roles(db, &account).await.unwrap();
    let mut expected = vec![admin, organiser(&lyon), organiser(&paris)];
    roles.sort_by_key(|r| format!("{r:?}"));
    expected.sort_by_key(|r| format!("{r:?}"));
    assert_eq!(roles, expected);

    accounts::grant(db, &id, &Role::PlatformAdmin, now)
        .await
        .unwrap();
    let account = accounts::find(db, &id).await.unwrap().unwrap();
    assert!(account.platform_admin);
    assert_eq!(
        accounts::roles(db, &account).await.unwrap()[0],
        Role::PlatformAdmin
    );
}
on_both_engines!(roles_are_stored_once_each);

async fn a_login_lasts_while_used_and_ends_on_logout(db: &Db) {
    let id = new_account(db, "door@example.org").await;
    let start = Utc::now();
    sessions::open(db, "hash-a", &id, start).await.unwrap();
    sessions::open(db, "hash-b", &id, start).await.unwrap();

    let found = sessions::account(db, "hash-a", start)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, id);
    assert!(sessions::account(db, "hash-unknown", start)
        .await
        .unwrap()
        .is_none());

    // Used every ten days, a login outlives its two idle weeks, up to sixty days.
    for day in [10, 20, 30, 40, 50, 59] {
        let at = start + Duration::days(day);
        assert!(
            sessions::account(db, "hash-a", at).await.unwrap().is_some(),
            "day {day}"
        );
    }
    assert!(sessions::account(db, "hash-a", start + Duration::days(61))
        .await
        .unwrap()
        .is_none());
    // Left alone, the other one ended after two weeks.
    assert!(sessions::account(db, "hash-b", start + Duration::days(15))
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        sessions::sweep(db, start + Duration::days(61))
            .await
            .unwrap(),
        2
    );

    sessions::open(db, "hash-c", &id, start).await.unwrap();
    sessions::open(db, "hash-d", &id, start).await.unwrap();
    sessions::close(db, "hash-c").await.unwrap();
    assert!(sessions::account(db, "hash-c", start)
        .await
        .unwrap()
        .is_none());
    assert!(sessions::account(db, "hash-d", start)
        .await
        .unwrap()
        .is_some());
    assert_eq!(sessions::close_all(db, &id).await.unwrap(), 1);
    assert!(sessions::account(db, "hash-d", start)
        .await
        .unwrap()
        .is_none());
}
on_both_engines!(a_login_lasts_while_used_and_ends_on_logout);

/// Runs `etape admin create` on the database with `stdin`; returns (success, stdout, stderr).
fn admin_create(
    test_db: &crate::support::TestDb,
    address: &str,
    stdin: &str,
) -> (bool, String, String) {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = test_db
        .etape_command()
        .args(["admin", "create", "--email", address])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run etape");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn the_first_admin_comes_from_the_command_line(test_db: &TestDb) {
    let db = &test_db.db;

    let (ok, _, err) = admin_create(test_db, "short@example.org", "eleven char\n");
    assert!(!ok);
    assert!(err.contains("at least 12 characters"), "{err}");
    assert!(accounts::find_by_email(db, &email("short@example.org"))
        .await
        .unwrap()
        .is_none());

    let (ok, out, err) = admin_create(test_db, "Chef@Example.org", "a long enough secret\n");
    assert!(ok, "{err}");
    assert!(
        out.contains("created platform administrator chef@example.org"),
        "{out}"
    );
    assert!(!out.contains("a long enough secret"));
    let (account, hash) = accounts::login_by_email(db, &email("chef@example.org"))
        .await
        .unwrap()
        .unwrap();
    assert!(account.platform_admin);
    assert_eq!(account.name, "chef");
    assert!(
        etape::auth::password::verify("a long enough secret", Some(hash))
            .await
            .unwrap()
    );

    let (ok, _, err) = admin_create(test_db, "chef@example.org", "another long secret\n");
    assert!(!ok);
    assert!(err.contains("already exists"), "{err}");

    // Nothing on standard input: a password is generated, printed once, and works.
    let (ok, out, err) = admin_create(test_db, "second@example.org", "");
    assert!(ok, "{err}");
    let generated = out.lines().last().unwrap().trim().to_owned();
    assert_eq!(generated.chars().count(), 20, "{out}");
    let (_, hash) = accounts::login_by_email(db, &email("second@example.org"))
        .await
        .unwrap()
        .unwrap();
    assert!(etape::auth::password::verify(&generated, Some(hash))
        .await
        .unwrap());

    let (ok, _, err) = admin_create(test_db, "not an address", "a long enough secret\n");
    assert!(!ok);
    assert!(err.contains("not an email address"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_admin_comes_from_the_command_line_on_sqlite() {
    let test_db = TestDb::sqlite().await;
    the_first_admin_comes_from_the_command_line(&test_db).await;
    test_db.teardown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_admin_comes_from_the_command_line_on_postgres() {
    let Some(test_db) = TestDb::postgres().await else {
        return;
    };
    the_first_admin_comes_from_the_command_line(&test_db).await;
    test_db.teardown().await;
}
