//! Storage, the same tests on SQLite and PostgreSQL.

use crate::on_both_engines;
use crate::support::{edition_fixture, stage_fixture};
use app::db::{editions, stages, Db};
use app::domain::{
    Edition, EditionStatus, Lineup, NewProgrammeItem, NewSpeaker, ProgrammeItem, ScheduledItem,
    Speaker, Stage, StageStatus,
};
use chrono::{NaiveDate, TimeZone, Utc};

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

async fn count(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    match db {
        Db::Sqlite(pool, _) => sqlx::query_scalar(&sql).fetch_one(pool).await.unwrap(),
        Db::Postgres(pool, _) => sqlx::query_scalar(&sql).fetch_one(pool).await.unwrap(),
    }
}

const TABLES: [&str; 9] = [
    "organisations",
    "editions",
    "edition_partners",
    "stages",
    "stage_co_organisers",
    "speakers",
    "projects",
    "programme_items",
    "programme_item_projects",
];

fn draft_edition(slug: &str) -> Edition {
    edition_fixture(
        slug,
        NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
        EditionStatus::Draft,
    )
}

fn stage_of(edition: &Edition, slug: &str, status: StageStatus) -> Stage {
    let opens = (edition.starts_on - chrono::Days::new(20))
        .and_hms_opt(9, 0, 0)
        .unwrap();
    stage_fixture(edition, slug, 30, status, opens)
}

async fn loading_the_demo_twice_changes_nothing(db: &Db) {
    let first = app::demo::load(db, today()).await.unwrap();
    assert_eq!(first.loaded.len(), 2);
    let mut before = Vec::new();
    for table in TABLES {
        before.push(count(db, table).await);
    }
    let second = app::demo::load(db, today()).await.unwrap();
    assert!(second.loaded.is_empty());
    assert_eq!(second.already_there.len(), 2);
    let mut after = Vec::new();
    for table in TABLES {
        after.push(count(db, table).await);
    }
    assert_eq!(before, after);
    assert!(
        before.iter().all(|&n| n > 0),
        "every table holds demo rows: {before:?}"
    );
}
on_both_engines!(loading_the_demo_twice_changes_nothing);

async fn the_lyon_line_up_reads_back_in_programme_order(db: &Db) {
    app::demo::load(db, today()).await.unwrap();
    let edition = editions::find_published_edition(db, "social-good-week-2013")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(edition.edition.number, 2);
    let lyon = stages::find_public_stage(db, &edition.id, "lyon")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        lyon.stage.starts_at,
        Utc.with_ymd_and_hms(2013, 12, 12, 17, 30, 0).unwrap()
    );
    let names: Vec<_> = lyon
        .stage
        .co_organisers
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(names, ["SFR", "Les Interconnectés"]);
    let lineup = stages::get_lineup(db, &lyon.id).await.unwrap();
    let keynote = lineup
        .programme
        .iter()
        .find(|s| s.item.kind.as_str() == "keynote")
        .unwrap();
    assert_eq!(
        lineup.speakers[keynote.speakers[0]].name,
        "Yann Moulier-Boutang"
    );
    let projects: Vec<_> = lineup.projects.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        projects,
        [
            "HelloAsso",
            "Arizuka",
            "ProBonoLab",
            "Travelwithamission",
            "Prêt de Chez Moi"
        ]
    );
    let starts: Vec<_> = lineup.programme.iter().map(|s| s.item.starts_at).collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
}
on_both_engines!(the_lyon_line_up_reads_back_in_programme_order);

async fn a_stored_line_up_is_read_back_unchanged(db: &Db) {
    let mut edition = draft_edition("printemps-2027");
    edition.status = EditionStatus::Published;
    let stage = stage_of(&edition, "saint-etienne", StageStatus::Published);
    let speaker = Speaker::parse(NewSpeaker {
        name: "Zoé « Z » Dupont; \\ test",
        title: "Chercheuse",
        bio: "Bio\navec retour à la ligne",
        photo_url: Some("https://example.org/z.jpg"),
        links: vec![("Site", "https://example.org")],
    })
    .unwrap();
    let item = ProgrammeItem::parse(
        NewProgrammeItem {
            starts_at: stage.starts_at,
            duration_minutes: 30,
            kind: "talk",
            title: "Ouverture",
        },
        &stage,
    )
    .unwrap();
    let lineup = Lineup::new(
        vec![speaker],
        vec![],
        vec![ScheduledItem {
            item,
            speakers: vec![0],
            projects: vec![],
        }],
    )
    .unwrap();
    assert!(
        editions::insert_edition_programme(db, &edition, &[(stage.clone(), lineup.clone())])
            .await
            .unwrap()
    );
    let found = editions::find_published_edition(db, "printemps-2027")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.edition, edition);
    let stored = stages::find_public_stage(db, &found.id, "saint-etienne")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.stage, stage);
    assert_eq!(stages::get_lineup(db, &stored.id).await.unwrap(), lineup);
}
on_both_engines!(a_stored_line_up_is_read_back_unchanged);

async fn drafts_are_never_public(db: &Db) {
    app::demo::load(db, today()).await.unwrap();
    let demo = editions::find_published_edition(db, "social-good-week-demo")
        .await
        .unwrap()
        .unwrap();
    assert!(stages::find_public_stage(db, &demo.id, "grenoble")
        .await
        .unwrap()
        .is_none());
    let listed = stages::list_public_stages(db, &demo.id).await.unwrap();
    assert!(listed.iter().all(|s| s.stage.slug.as_str() != "grenoble"));
    assert_eq!(listed.len(), 4);

    let draft = draft_edition("brouillon-2027");
    let stage = stage_of(&draft, "saint-etienne", StageStatus::Published);
    editions::insert_edition_programme(db, &draft, &[(stage, Lineup::default())])
        .await
        .unwrap();
    assert!(editions::find_published_edition(db, "brouillon-2027")
        .await
        .unwrap()
        .is_none());
    assert!(editions::find_edition(db, "brouillon-2027")
        .await
        .unwrap()
        .is_some());
    let published = editions::list_published_editions(db).await.unwrap();
    assert!(published
        .iter()
        .all(|e| e.edition.slug.as_str() != "brouillon-2027"));
}
on_both_engines!(drafts_are_never_public);

async fn a_failed_edition_load_leaves_nothing_behind(db: &Db) {
    let edition = draft_edition("doublon-2027");
    let stage = stage_of(&edition, "saint-etienne", StageStatus::Draft);
    // The same stage slug twice in one edition breaks UNIQUE (edition_id, slug).
    let result = editions::insert_edition_programme(
        db,
        &edition,
        &[
            (stage.clone(), Lineup::default()),
            (stage, Lineup::default()),
        ],
    )
    .await;
    assert!(
        matches!(result, Err(app::db::DbError::UniqueViolation)),
        "{result:?}"
    );
    assert!(editions::find_edition(db, "doublon-2027")
        .await
        .unwrap()
        .is_none());
    assert_eq!(count(db, "stages").await, 0);
}
on_both_engines!(a_failed_edition_load_leaves_nothing_behind);

async fn migrations_can_run_again_safely(db: &Db) {
    db.migrate().await.unwrap();
    db.ping().await.unwrap();
    assert_eq!(count(db, "editions").await, 0);
}
on_both_engines!(migrations_can_run_again_safely);

async fn a_backfill_is_recorded_once_done(db: &Db) {
    use app::db::backfills::{is_done, mark_done};
    assert!(!is_done(db, "test.backfill").await.unwrap());
    mark_done(db, "test.backfill", Utc::now()).await.unwrap();
    mark_done(db, "test.backfill", Utc::now()).await.unwrap();
    assert!(is_done(db, "test.backfill").await.unwrap());
    assert!(!is_done(db, "test.other").await.unwrap());
}
on_both_engines!(a_backfill_is_recorded_once_done);

async fn a_server_start_records_the_attendee_feed_backfill(db: &Db) {
    use app::db::registrations::FEED_TOKENS_BACKFILL;
    assert!(!app::db::backfills::is_done(db, FEED_TOKENS_BACKFILL)
        .await
        .unwrap());
    let config = etape::Config {
        storage: etape::config::Storage {
            url: String::new(),
            master_key: etape::master_key::MasterKeySource::File("unused.key".into()),
        },
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: "target/site".into(),
        demo_on_empty: false,
        public_url: None,
        limits: etape::config::LimitsConfig::OFF,
        load: etape::config::LoadLimits::DEFAULT,
        retention_days: etape::purge::DEFAULT_RETENTION_DAYS,
        smtp_url: None,
        mail_from: etape::mail::DEFAULT_MAIL_FROM.to_owned(),
    };
    etape::AppState::new(&config, db.clone(), app::api::outbox::Outbox::new())
        .await
        .unwrap();
    assert!(app::db::backfills::is_done(db, FEED_TOKENS_BACKFILL)
        .await
        .unwrap());
}
on_both_engines!(a_server_start_records_the_attendee_feed_backfill);

/// On SQLite the serving process copies the write-ahead log into the database file from a
/// reading connection (`etape::checkpoints`), rather than the writer at a commit: after the
/// demo's writes the log still holds them, one checkpoint copies them all, and one past its
/// bound empties the log. What was written reads back the same. PostgreSQL has nothing to
/// copy.
async fn a_checkpoint_copies_the_whole_log_into_the_database(db: &Db) {
    app::demo::load(db, today()).await.unwrap();
    let before = count(db, "programme_items").await;
    match db.checkpoint(i64::MAX).await.unwrap() {
        Some((in_log, copied)) => {
            assert!(in_log > 0, "the log holds the demo's writes");
            assert_eq!(copied, in_log);
            assert_eq!(
                db.checkpoint(i64::MAX).await.unwrap(),
                Some((in_log, in_log))
            );
            assert_eq!(
                db.checkpoint(in_log).await.unwrap(),
                Some((0, 0)),
                "emptied"
            );
            assert_eq!(db.checkpoint(i64::MAX).await.unwrap(), Some((0, 0)));
        }
        None => assert_eq!(db.engine(), app::db::Engine::Postgres),
    }
    assert_eq!(count(db, "programme_items").await, before);
    assert!(before > 0);
}
on_both_engines!(a_checkpoint_copies_the_whole_log_into_the_database);

/// The migration that rebuilt `registrations` around one index on the address (and
/// `checkins` with it) keeps every row, every link sent before, every check-in, and the rules
/// the tables held: one registration per address and stage, and check-ins only of
/// registrations that exist, removed with them.
async fn registrations_keep_their_rows_and_rules_through_their_rebuild(db: &Db) {
    use app::db::{sql, DbError};
    let statements = [
        "INSERT INTO editions (id, slug, name, number, starts_on, ends_on, theme, description, \
         status) VALUES ('e1', 'sgw-2027', 'SGW', 1, '2027-03-01', '2027-03-07', 't', 'd', \
         'published')",
        "INSERT INTO stages (id, edition_id, slug, city, city_slug, venue_name, venue_address, \
         time_zone, starts_at, ends_at, theme, description, capacity, registration_opens_at, \
         registration_closes_at, status) VALUES ('s1', 'e1', 'lyon', 'Lyon', 'lyon', 'V', 'A', \
         'Europe/Paris', 2000, 3000, 't', 'd', 1, 0, 1500, 'published')",
        "INSERT INTO door_links (id, stage_id, label, secret_hash, created_at) \
         VALUES ('d1', 's1', 'Door', 'h', 10)",
        // Registered before links carried ids: all three hashes stored.
        "INSERT INTO registrations (id, stage_id, name, email, organisation, language, status, \
         arrival, manage_token_hash, created_at, updated_at, ticket_token_hash, \
         feed_token_hash, promoted_at, reminded_at, short_code, feed_salt, confirm_by, \
         confirm_token_hash) VALUES ('r1', 's1', 'Ada', 'ada@example.org', 'Org', 'fr', \
         'confirmed', 1, 'manage-hash', 100, 110, 'ticket-hash', 'feed-hash', 105, 120, \
         'ABCD2345', NULL, NULL, NULL)",
        // Registered since: the placeholder in `manage_token_hash`, no other hash.
        "INSERT INTO registrations (id, stage_id, name, email, organisation, language, status, \
         arrival, manage_token_hash, created_at, updated_at, short_code, feed_salt, \
         confirm_by, confirm_token_hash) VALUES ('r2', 's1', 'Bo', 'bo@example.org', NULL, \
         'en', 'waitlisted', 2, 'unused-0193', 200, 200, 'EFGH6789', 'salt', 900, \
         'confirm-hash')",
        "INSERT INTO checkins (registration_id, stage_id, door_id, checked_in_at) \
         VALUES ('r1', 's1', 'd1', 2100)",
    ];
    for statement in statements {
        db.execute(sql(statement)).await.unwrap();
    }

    db.migrate().await.unwrap();

    #[derive(Debug, PartialEq, sqlx::FromRow)]
    struct Row {
        id: String,
        email: String,
        organisation: Option<String>,
        status: String,
        arrival: i64,
        manage_token_hash: Option<String>,
        ticket_token_hash: Option<String>,
        feed_token_hash: Option<String>,
        promoted_at: Option<i64>,
        reminded_at: Option<i64>,
        short_code: Option<String>,
        feed_salt: Option<String>,
        confirm_by: Option<i64>,
        confirm_token_hash: Option<String>,
    }
    let rows: Vec<Row> = db
        .fetch_all(sql(
            "SELECT id, email, organisation, status, arrival, manage_token_hash, \
             ticket_token_hash, feed_token_hash, promoted_at, reminded_at, short_code, \
             feed_salt, confirm_by, confirm_token_hash FROM registrations ORDER BY arrival",
        ))
        .await
        .unwrap();
    let text = |text: &str| Some(text.to_owned());
    assert_eq!(
        rows,
        vec![
            Row {
                id: "r1".into(),
                email: "ada@example.org".into(),
                organisation: text("Org"),
                status: "confirmed".into(),
                arrival: 1,
                manage_token_hash: text("manage-hash"),
                ticket_token_hash: text("ticket-hash"),
                feed_token_hash: text("feed-hash"),
                promoted_at: Some(105),
                reminded_at: Some(120),
                short_code: text("ABCD2345"),
                feed_salt: None,
                confirm_by: None,
                confirm_token_hash: None,
            },
            Row {
                id: "r2".into(),
                email: "bo@example.org".into(),
                organisation: None,
                status: "waitlisted".into(),
                arrival: 2,
                manage_token_hash: None,
                ticket_token_hash: None,
                feed_token_hash: None,
                promoted_at: None,
                reminded_at: None,
                short_code: text("EFGH6789"),
                feed_salt: text("salt"),
                confirm_by: Some(900),
                confirm_token_hash: text("confirm-hash"),
            },
        ]
    );
    assert_eq!(count(db, "checkins").await, 1);

    let again = db
        .execute(sql(
            "INSERT INTO registrations (id, stage_id, name, email, language, status, arrival, \
             created_at, updated_at) VALUES ('r3', 's1', 'Ada', 'ada@example.org', 'fr', \
             'waitlisted', 3, 300, 300)",
        ))
        .await;
    assert!(matches!(again, Err(DbError::UniqueViolation)), "{again:?}");
    let unknown = db
        .execute(sql(
            "INSERT INTO checkins (registration_id, stage_id, door_id, checked_in_at) \
             VALUES ('nobody', 's1', 'd1', 2200)",
        ))
        .await;
    assert!(
        unknown.is_err(),
        "a check-in of no registration: {unknown:?}"
    );
    db.execute(sql("DELETE FROM registrations WHERE id = 'r1'"))
        .await
        .unwrap();
    assert_eq!(count(db, "checkins").await, 0);
}
on_both_engines!(
    registrations_keep_their_rows_and_rules_through_their_rebuild,
    before 20261202000003
);
