//! A real SMTP server on 127.0.0.1 for tests, shared by the integration tests and the
//! multi-server check (`server/examples/servers.rs`, which includes this file).
// Each includer uses part of it.
#![allow(dead_code)]

use etape::mail::SmtpUrl;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

// A real SMTP server on 127.0.0.1, just enough of RFC 5321 for a client: greeting, EHLO/HELO,
// MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT. It accepts everything and
// records each message.

#[derive(Debug, Clone)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub data: Vec<u8>,
}

pub struct SmtpSink {
    pub address: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    arrived: Arc<Notify>,
    task: tokio::task::JoinHandle<()>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        SmtpSink::start_on("127.0.0.1:0".parse().unwrap()).await
    }

    pub async fn start_on(address: SocketAddr) -> SmtpSink {
        let listener = TcpListener::bind(address)
            .await
            .expect("bind the SMTP sink");
        let address = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let arrived = Arc::new(Notify::new());
        let task = {
            let (received, arrived) = (received.clone(), arrived.clone());
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let (received, arrived) = (received.clone(), arrived.clone());
                    tokio::spawn(async move {
                        let _ = serve_smtp(stream, &received, &arrived).await;
                    });
                }
            })
        };
        SmtpSink {
            address,
            received,
            arrived,
            task,
        }
    }

    pub fn url(&self) -> SmtpUrl {
        SmtpUrl::new(format!("smtp://{}", self.address))
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until `count` messages have arrived, or panics after ten seconds.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let arrived = self.arrived.notified();
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                panic!("{count} message(s) expected, {} arrived", messages.len());
            }
        }
    }

    pub fn stop(self) {
        self.task.abort();
    }
}

async fn serve_smtp(
    stream: TcpStream,
    received: &Mutex<Vec<Received>>,
    arrived: &Notify,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
    let (mut mail_from, mut rcpt_to) = (String::new(), Vec::new());
    let mut line = Vec::new();
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let command = String::from_utf8_lossy(&line).trim_end().to_owned();
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-sink.test greets you\r\n250 HELP\r\n",
            "HELO" => b"250 sink.test\r\n",
            "MAIL" => {
                mail_from = angle_address(&command);
                rcpt_to.clear();
                b"250 OK\r\n"
            }
            "RCPT" => {
                rcpt_to.push(angle_address(&command));
                b"250 OK\r\n"
            }
            "DATA" => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let mut data = Vec::new();
                loop {
                    line.clear();
                    if lines.read_until(b'\n', &mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == b".\r\n" || line == b".\n" {
                        break;
                    }
                    // Dot-unstuffing: the client doubled every leading dot.
                    let unstuffed = if line.starts_with(b".") {
                        &line[1..]
                    } else {
                        &line[..]
                    };
                    data.extend_from_slice(unstuffed);
                }
                received.lock().unwrap().push(Received {
                    mail_from: std::mem::take(&mut mail_from),
                    rcpt_to: std::mem::take(&mut rcpt_to),
                    data,
                });
                arrived.notify_waiters();
                b"250 OK queued\r\n"
            }
            "RSET" => {
                mail_from.clear();
                rcpt_to.clear();
                b"250 OK\r\n"
            }
            "NOOP" => b"250 OK\r\n",
            "QUIT" => {
                write.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 Command not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}

/// `user@host` from `MAIL FROM:<user@host> SIZE=…`.
fn angle_address(command: &str) -> String {
    command
        .split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(address, _)| address.to_owned())
        .unwrap_or_default()
}
