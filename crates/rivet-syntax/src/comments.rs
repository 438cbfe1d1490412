//! Comment collection between tokens: protoc's `Tokenizer::NextWithComments`.
//!
//! When the parser consumes a token that ends a declaration (`;`, `{`, `}`), it asks for the
//! comments between that token and the next one, sorted into: a comment trailing the consumed
//! token, detached comments, and a comment leading the next token.

use crate::lexer::{CommentStart, Lexer, TokenKind};

/// The comments found by [`Lexer::next_with_comments`].
#[derive(Debug, Default)]
pub(crate) struct CollectedComments {
    /// Attached to the token just consumed (empty if none).
    pub trailing: Vec<u8>,
    /// Attached to neither.
    pub detached: Vec<Vec<u8>>,
    /// Attached to the next token (empty if none).
    pub leading: Vec<u8>,
}

/// Buffers the most recent comment until it is known where it belongs.
struct Collector {
    out: CollectedComments,
    buffer: Vec<u8>,
    num_comments: usize,
    has_trailing_comment: bool,
    /// True once a comment was read into `buffer`, even an empty one (`/**/`).
    has_comment: bool,
    is_line_comment: bool,
    can_attach_to_prev: bool,
}

impl Collector {
    fn new() -> Collector {
        Collector {
            out: CollectedComments::default(),
            buffer: Vec::new(),
            num_comments: 0,
            has_trailing_comment: false,
            has_comment: false,
            is_line_comment: false,
            can_attach_to_prev: true,
        }
    }

    /// Prepares the buffer for a line comment (consecutive line comments are merged).
    fn buffer_for_line_comment(&mut self) -> &mut Vec<u8> {
        if self.has_comment && !self.is_line_comment {
            self.flush();
        }
        self.has_comment = true;
        self.is_line_comment = true;
        &mut self.buffer
    }

    fn buffer_for_block_comment(&mut self) -> &mut Vec<u8> {
        if self.has_comment {
            self.flush();
        }
        self.has_comment = true;
        self.is_line_comment = false;
        &mut self.buffer
    }

    /// The buffered comment is complete and not attached to the next token.
    fn flush(&mut self) {
        if self.has_comment {
            if self.can_attach_to_prev {
                self.out.trailing.extend_from_slice(&self.buffer);
                self.buffer.clear();
                self.has_trailing_comment = true;
                self.can_attach_to_prev = false;
            } else {
                self.out.detached.push(std::mem::take(&mut self.buffer));
            }
            self.has_comment = false;
            self.num_comments += 1;
        }
    }

    fn detach_from_prev(&mut self) {
        self.can_attach_to_prev = false;
    }

    /// When the previous and next token share a line, a single comment between them belongs to
    /// neither.
    fn maybe_detach_comment(&mut self) {
        let count = self.num_comments + usize::from(self.has_comment);
        if count == 1 {
            if self.has_trailing_comment {
                let trailing = std::mem::take(&mut self.out.trailing);
                self.out.detached.insert(0, trailing);
            }
            self.flush();
        }
    }

    fn finish(mut self) -> CollectedComments {
        if self.has_comment {
            self.out.leading = self.buffer;
        }
        self.out
    }
}

impl Lexer<'_> {
    /// Like [`Lexer::next`], but also collects the comments between the current token and the
    /// next one. At the start of input it also skips a UTF-8 byte order mark.
    pub fn next_with_comments(&mut self) -> CollectedComments {
        let mut collector = Collector::new();
        let mut prev_line: Option<u32> = Some(self.line);
        let mut trailing_comment_end_line: Option<u32> = None;

        if self.cur.kind == TokenKind::Start {
            if self.try_consume(0xEF) && !(self.try_consume(0xBB) && self.try_consume(0xBF)) {
                self.error_at(
                    self.pos,
                    "Proto file starts with 0xEF but not UTF-8 BOM. \
                     Only UTF-8 is accepted for proto file.",
                );
                return collector.finish();
            }
            collector.detach_from_prev();
            prev_line = None;
        } else {
            // A comment on the same line belongs to the previous declaration.
            self.skip_whitespace_no_newline();
            match self.try_consume_comment_start() {
                CommentStart::Line => {
                    trailing_comment_end_line = Some(self.line);
                    self.consume_line_comment(Some(collector.buffer_for_line_comment()));
                    // Comments on later lines cannot join a trailing comment.
                    collector.flush();
                }
                CommentStart::Block => {
                    self.consume_block_comment(Some(collector.buffer_for_block_comment()));
                    trailing_comment_end_line = Some(self.line);
                    self.skip_whitespace_no_newline();
                    collector.flush();
                }
                CommentStart::SlashNotComment => return collector.finish(),
                CommentStart::None => {
                    if !self.try_consume(b'\n') {
                        // The next token is on the same line: no comments.
                        self.next();
                        return collector.finish();
                    }
                }
            }
        }

        // Now on the line after the previous token.
        loop {
            self.skip_whitespace_no_newline();
            match self.try_consume_comment_start() {
                CommentStart::Line => {
                    self.consume_line_comment(Some(collector.buffer_for_line_comment()));
                }
                CommentStart::Block => {
                    self.consume_block_comment(Some(collector.buffer_for_block_comment()));
                    // The rest of the line is not a blank line.
                    self.skip_whitespace_no_newline();
                    self.try_consume(b'\n');
                }
                CommentStart::SlashNotComment => return collector.finish(),
                CommentStart::None => {
                    if self.try_consume(b'\n') {
                        // A blank line.
                        collector.flush();
                        collector.detach_from_prev();
                    } else {
                        let more = self.next();
                        if !more || matches!(self.text(self.cur), b"}" | b"]" | b")") {
                            // End of a scope: nothing after it to attach a comment to.
                            collector.flush();
                        }
                        if more
                            && (prev_line == Some(self.line)
                                || trailing_comment_end_line == Some(self.line))
                        {
                            collector.maybe_detach_comment();
                        }
                        return collector.finish();
                    }
                }
            }
        }
    }
}
