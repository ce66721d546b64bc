//! The master key: what a copy of the database holds (nothing that opens a private link or
//! signs a ticket), older databases sealed on start, and the key file's life.

use crate::on_both_engines;
use crate::support::{storage, TestDb};
use app::db::sealed::MasterKey;
use app::db::secrets::site_secret;
use app::db::ticket_keys::find_active_key;
use app::db::{editions, sql, Db};
use app::links::LINK_SECRET;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Utc;
use etape::config::Storage;
use etape::master_key::{MasterKeyError, MasterKeySource};
use etape::StartupError;

async fn demo_edition_id(db: &Db) -> String {
    app::demo::load(db, Utc::now().date_naive()).await.unwrap();
    editions::find_published_edition(db, "social-good-week-demo")
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Every secret and seed as the database holds it.
async fn stored_secrets(db: &Db) -> Vec<String> {
    let secrets: Vec<(String,)> = db
        .fetch_all(sql("SELECT value FROM site_secrets"))
        .await
        .unwrap();
    let seeds: Vec<(String,)> = db
        .fetch_all(sql("SELECT private_seed FROM edition_keys"))
        .await
        .unwrap();
    assert!(!secrets.is_empty() && !seeds.is_empty());
    secrets.into_iter().chain(seeds).map(|(v,)| v).collect()
}

async fn a_copy_of_the_database_opens_no_link_and_signs_no_ticket(test_db: &TestDb) {
    let db = &test_db.db;
    let edition_id = demo_edition_id(db).await;
    let secret = site_secret(db, LINK_SECRET, Utc::now()).await.unwrap();
    let seed = find_active_key(db, &edition_id)
        .await
        .unwrap()
        .unwrap()
        .seed();
    for stored in stored_secrets(db).await {
        assert!(stored.starts_with("sealed:v1:"), "kept in clear: {stored}");
        assert!(!stored.contains(&URL_SAFE_NO_PAD.encode(secret)));
        assert!(!stored.contains(&URL_SAFE_NO_PAD.encode(seed)));
    }

    let other = MasterKey::generate().unwrap();
    let refused = etape::prepare_database(&storage(&test_db.url, &other))
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            StartupError::MasterKey(MasterKeyError::Wrong { .. })
        ),
        "{refused}"
    );

    let reopened = etape::prepare_database(&test_db.storage()).await.unwrap();
    assert_eq!(
        site_secret(&reopened, LINK_SECRET, Utc::now())
            .await
            .unwrap(),
        secret
    );
    reopened.close().await;
}
on_both_engines!(
    a_copy_of_the_database_opens_no_link_and_signs_no_ticket,
    test_db
);

async fn what_an_older_version_kept_in_clear_is_sealed_on_start(test_db: &TestDb) {
    let db = &test_db.db;
    let edition_id = demo_edition_id(db).await;
    // As versions before the master key stored them: plain base64url.
    let (secret, seed) = ([11u8; 32], [12u8; 32]);
    db.execute(sql("DELETE FROM site_secrets")).await.unwrap();
    db.execute(
        sql("INSERT INTO site_secrets (name, value, created_at) VALUES ($1, $2, $3)")
            .bind(LINK_SECRET)
            .bind(URL_SAFE_NO_PAD.encode(secret))
            .bind(0_i64),
    )
    .await
    .unwrap();
    db.execute(
        sql("UPDATE edition_keys SET private_seed = $1 WHERE edition_id = $2")
            .bind(URL_SAFE_NO_PAD.encode(seed))
            .bind(edition_id.as_str()),
    )
    .await
    .unwrap();

    let reopened = etape::prepare_database(&test_db.storage()).await.unwrap();
    for stored in stored_secrets(&reopened).await {
        assert!(stored.starts_with("sealed:v1:"), "still in clear: {stored}");
    }
    // The same secret and seed: links and tickets made before still open and verify.
    assert_eq!(
        site_secret(&reopened, LINK_SECRET, Utc::now())
            .await
            .unwrap(),
        secret
    );
    let key = find_active_key(&reopened, &edition_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(key.seed(), seed);
    reopened.close().await;
}
on_both_engines!(
    what_an_older_version_kept_in_clear_is_sealed_on_start,
    test_db
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_file_is_made_for_a_new_database_and_needed_after() {
    let folder = std::env::temp_dir().join(format!(
        "etape_master_key_{}_{}",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    let key_file = folder.join("keys").join("master.key");
    let url = format!("sqlite://{}", folder.join("etape.db").display());
    let with_file = Storage {
        url: url.clone(),
        master_key: MasterKeySource::File(key_file.clone()),
    };
    let db = etape::prepare_database(&with_file).await.unwrap();
    let secret = site_secret(&db, LINK_SECRET, Utc::now()).await.unwrap();
    db.close().await;
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the key file is its owner's alone");
    }

    // Lost: the server refuses to start, and makes no new key that would seal more.
    let aside = folder.join("master.key.backup");
    std::fs::rename(&key_file, &aside).unwrap();
    let refused = etape::prepare_database(&with_file).await.unwrap_err();
    assert!(
        matches!(
            refused,
            StartupError::MasterKey(MasterKeyError::Missing { .. })
        ),
        "{refused}"
    );
    assert!(!key_file.exists());

    // The key given as ETAPE_MASTER_KEY's value opens it as the file did.
    let written = std::fs::read_to_string(&aside).unwrap();
    let with_value = Storage {
        url: url.clone(),
        master_key: MasterKeySource::Value(written),
    };
    let db = etape::prepare_database(&with_value).await.unwrap();
    assert_eq!(
        site_secret(&db, LINK_SECRET, Utc::now()).await.unwrap(),
        secret
    );
    db.close().await;
    let garbled = Storage {
        url,
        master_key: MasterKeySource::Value("not-a-key".into()),
    };
    assert!(matches!(
        etape::prepare_database(&garbled).await.unwrap_err(),
        StartupError::MasterKey(MasterKeyError::InvalidValue)
    ));
    let _ = std::fs::remove_dir_all(&folder);
}
