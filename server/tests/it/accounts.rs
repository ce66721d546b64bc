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

/// Makes every insert into the outbox fail, as a full disk or a crash between two statements
/// would; `false` lets them through again.
async fn refuse_emails(db: &Db, refuse: bool) {
    let statements: &[&str] = match (db.engine(), refuse) {
        (app::db::Engine::Sqlite, true) => {
            &["CREATE TRIGGER refuse_emails BEFORE INSERT ON outbox \
             BEGIN SELECT RAISE(ABORT, 'no email today'); END"]
        }
        (app::db::Engine::Sqlite, false) => &["DROP TRIGGER refuse_emails"],
        (app::db::Engine::Postgres, true) => &[
            "CREATE FUNCTION refuse_emails() RETURNS trigger AS $$ \
             BEGIN RAISE EXCEPTION 'no email today'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_emails BEFORE INSERT ON outbox \
             FOR EACH ROW EXECUTE FUNCTION refuse_emails()",
        ],
        (app::db::Engine::Postgres, false) => &[
            "DROP TRIGGER refuse_emails ON outbox",
            "DROP FUNCTION refuse_emails()",
        ],
    };
    for statement in statements {
        db.execute(app::db::sql(*statement)).await.unwrap();
    }
}

fn message(to: &str) -> app::mail::OutgoingEmail {
    app::mail::OutgoingEmail {
        to: to.to_owned(),
        to_name: String::new(),
        subject: "Votre lien".into(),
        text: "https://etape.example/lien".into(),
        html: "<p>lien</p>".into(),
        ticket_code: None,
        to_write: None,
    }
}

async fn stored(db: &Db, table: &str) -> i64 {
    let (n,): (i64,) = db
        .fetch_one(app::db::sql(format!("SELECT COUNT(*) FROM {table}")))
        .await
        .unwrap();
    n
}

async fn invite(
    db: &Db,
    edition: &str,
    invited_by: &str,
    token_hash: &str,
    message: &app::mail::OutgoingEmail,
) -> Result<String, DbError> {
    let now = Utc::now();
    app::db::invitations::create(
        db,
        app::db::invitations::NewInvitation {
            token_hash,
            email: "lea@example.org",
            role: &Role::EditionAdmin {
                edition: edition.to_owned(),
            },
            invited_by,
            now,
            expires_at: now + Duration::days(7),
            message,
        },
    )
    .await
}

/// A reset link or an invitation is stored with its email, or neither is: a link nobody was
/// told of, or an email whose link does not exist, would leave the person stuck.
async fn a_link_is_stored_only_with_its_email(db: &Db) {
    let account = new_account(db, "amina@example.org").await;
    let (edition, _, _) = edition_with_two_stages(db).await;
    let now = Utc::now();
    let (to_amina, to_lea) = (message("amina@example.org"), message("lea@example.org"));
    let reset = |token_hash| {
        accounts::create_reset(
            db,
            token_hash,
            &account,
            now,
            now + Duration::hours(1),
            &to_amina,
        )
    };

    refuse_emails(db, true).await;
    let refused = reset("reset-1").await;
    assert!(
        refused.is_err(),
        "the email could not be stored: {refused:?}"
    );
    assert!(invite(db, &edition, &account, "invite-1", &to_lea)
        .await
        .is_err());
    assert_eq!(
        stored(db, "password_resets").await,
        0,
        "no link without its email"
    );
    assert_eq!(
        stored(db, "invitations").await,
        0,
        "no invitation without its email"
    );

    refuse_emails(db, false).await;
    reset("reset-2").await.unwrap();
    invite(db, &edition, &account, "invite-2", &to_lea)
        .await
        .unwrap();
    assert_eq!(stored(db, "password_resets").await, 1);
    assert_eq!(stored(db, "invitations").await, 1);
    assert_eq!(stored(db, "outbox").await, 2);
}

on_both_engines!(a_link_is_stored_only_with_its_email);
