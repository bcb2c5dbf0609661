package io.seedship.workers.repository;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;

/**
 * Checks a repository: structure (index files, packs present with recorded length and matching header,
 * snapshots and the chunks their trees name) and, with read-data, decrypts and re-hashes every chunk
 * (like {@code restic check --read-data}). Reports every damaged pack and chunk with the files using it.
 */
public final class Verify {

  private final Repository repository;
  private final int workers;
  /** Where the read-data check leaves the block signatures of the data chunks it read (null: nowhere). */
  private final SignatureStore signatures;

  public Verify(Repository repository, int workers) {
    this(repository, workers, null);
  }

  /**
   * {@code signatureFolder}: the read-data check keeps the block signatures of every data chunk it reads there
   * (docs/repository-format.md §9; the vault's seed copy keeps them in the protection's cache); null: nowhere.
   */
  public Verify(Repository repository, int workers, Path signatureFolder) {
    this.repository = repository;
    this.workers = Math.max(1, workers);
    this.signatures = signatureFolder == null ? null : new SignatureStore(signatureFolder);
  }

  public VerifyReport run(boolean readData) {
    List<VerifyReport.Problem> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    RepositoryLayout layout = repository.layout();
    ChunkIndex index = new ChunkIndex();
    Map<RandomId, PackSummary> indexed = new LinkedHashMap<>();
    Aead aead = repository.key().newAead();
    for (Path file : IndexFiles.list(layout)) {
      try {
        for (PackSummary pack : IndexFiles.read(file, aead)) {
          indexed.put(pack.id(), pack);
          index.addPack(pack);
        }
      } catch (RepositoryException e) {
        problems.add(new VerifyReport.Problem(VerifyReport.Kind.DAMAGED_INDEX, null, null, e.getMessage(), List.of()));
      }
    }
    // Damaged chunk -> problem, filled by the pack checks, then mapped to files through the trees.
    Map<ChunkId, VerifyReport.Problem> damagedChunks = new HashMap<>();
    Set<RandomId> unusablePacks = new HashSet<>();
    PackStore packs = repository.packs();
    for (PackSummary pack : indexed.values()) {
      try (PackSource source = packs.open(pack.id())) {
        long size = source.length();
        if (size != pack.length()) {
          throw size < pack.length()
              ? PackReader.truncated(pack.id(), source.describe(), "it has " + size + " bytes, the index records " + pack.length())
              : new PackTamperedException("Pack " + pack.id() + " (" + source.describe() + ") has " + (size - pack.length())
                  + " bytes more than recorded.");
        }
        List<PackEntry> header = PackReader.readHeader(source, pack.id(), aead);
        if (!header.equals(pack.entries())) {
          throw new PackTamperedException("The header of pack " + pack.id() + " (" + source.describe() + ") does not match the index.");
        }
      } catch (IOException e) {
        unusablePacks.add(pack.id());
        addPackProblem(problems, damagedChunks, pack, VerifyReport.Kind.MISSING_PACK, "Pack " + pack.id() + " cannot be read ("
            + packs.describe(pack.id()) + "): " + e.getMessage());
      } catch (RepositoryException e) {
        unusablePacks.add(pack.id());
        addPackProblem(problems, damagedChunks, pack, kindOf(e), e.getMessage());
      }
    }
    long chunksChecked = 0;
    if (readData) {
      chunksChecked = readAllData(index, indexed, unusablePacks, problems, damagedChunks);
    }
    try {
      List<RandomId> present = new ArrayList<>(packs.list());
      present.sort(java.util.Comparator.comparing(RandomId::hex));
      for (RandomId id : present) {
        if (!indexed.containsKey(id)) {
          notes.add("Pack " + id + " is in no index file (left by an interrupted backup); the next backup indexes and reuses it.");
        }
      }
    } catch (RuntimeException e) {
      notes.add("The packs cannot be listed: " + e.getMessage());
    }
    List<Snapshot> snapshots = repository.snapshots();
    Map<ChunkId, List<String>> usage = mapToFiles(snapshots, index, damagedChunks, problems);
    List<VerifyReport.Problem> withFiles = new ArrayList<>();
    for (VerifyReport.Problem problem : problems) {
      List<String> files = new ArrayList<>(problem.affectedFiles());
      for (Map.Entry<ChunkId, List<String>> use : usage.entrySet()) {
        VerifyReport.Problem damage = damagedChunks.get(use.getKey());
        boolean sameChunk = use.getKey().hex().equals(problem.chunk());
        boolean inDamagedPack = problem.chunk() == null && problem.pack() != null && damage != null
            && problem.pack().equals(damage.pack());
        if (sameChunk || inDamagedPack) {
          files.addAll(use.getValue());
        }
      }
      withFiles.add(new VerifyReport.Problem(problem.kind(), problem.pack(), problem.chunk(), problem.message(), List.copyOf(files)));
    }
    return new VerifyReport(indexed.size(), chunksChecked, snapshots.size(), readData, withFiles, notes);
  }

  private static void addPackProblem(List<VerifyReport.Problem> problems, Map<ChunkId, VerifyReport.Problem> damaged,
                                     PackSummary pack, VerifyReport.Kind kind, String message) {
    problems.add(new VerifyReport.Problem(kind, pack.id().hex(), null, message, List.of()));
    for (PackEntry entry : pack.entries()) {
      VerifyReport.Problem chunkProblem = new VerifyReport.Problem(kind, pack.id().hex(), entry.id().hex(),
          "Chunk " + entry.id().shortHex() + " is unreadable because its pack is damaged.", List.of());
      damaged.put(entry.id(), chunkProblem);
    }
  }

  private long readAllData(ChunkIndex index, Map<RandomId, PackSummary> indexed, Set<RandomId> unusablePacks,
                           List<VerifyReport.Problem> problems, Map<ChunkId, VerifyReport.Problem> damaged) {
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<List<VerifyReport.Problem>>> results = new ArrayList<>();
      for (PackSummary pack : indexed.values()) {
        if (!unusablePacks.contains(pack.id())) {
          results.add(pool.submit(() -> readPack(index, pack)));
        }
      }
      long chunks = 0;
      for (Future<List<VerifyReport.Problem>> result : results) {
        for (VerifyReport.Problem problem : result.get()) {
          problems.add(problem);
          damaged.put(new ChunkId(Hex.parse(problem.chunk())), problem);
        }
      }
      for (PackSummary pack : indexed.values()) {
        chunks += pack.entries().size();
      }
      return chunks;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RepositoryException("The verify was interrupted.", e);
    } catch (ExecutionException e) {
      throw new RepositoryException("The verify failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Reads a pack in spans of at most {@link Restore#SPAN} bytes (one read each, which matters for packs in
   * blob storage) and checks every chunk; a span that cannot be read is retried chunk by chunk, so each
   * damaged chunk is named.
   */
  private List<VerifyReport.Problem> readPack(ChunkIndex index, PackSummary pack) {
    List<VerifyReport.Problem> problems = new ArrayList<>();
    List<PackEntry> entries = new ArrayList<>(pack.entries());
    entries.sort(java.util.Comparator.comparingInt(PackEntry::offset));
    byte[] span = new byte[0];
    byte[] out = new byte[0];
    BlockSigner signer = signatures == null ? null : new BlockSigner(repository.key());
    List<SignatureStore.Entry> signed = new ArrayList<>();
    try (ChunkReader reader = new ChunkReader(repository.packs(), index, repository.key(), repository.config().maxChunk())) {
      int first = 0;
      while (first < entries.size()) {
        int last = first;
        long start = entries.get(first).offset();
        while (last + 1 < entries.size() && (long) entries.get(last + 1).offset() + entries.get(last + 1).storedLength() - start
            <= Restore.SPAN) {
          last++;
        }
        int length = (int) ((long) entries.get(last).offset() + entries.get(last).storedLength() - start);
        boolean spanRead;
        try {
          if (span.length < length) {
            span = new byte[length];
          }
          reader.readSpan(pack.id(), pack.length(), start, span, length);
          spanRead = true;
        } catch (RepositoryException e) {
          spanRead = false;
        }
        for (int i = first; i <= last; i++) {
          PackEntry entry = entries.get(i);
          ChunkLocation location = new ChunkLocation(entry.id(), pack.id(), pack.length(), entry.type(), entry.offset(),
              entry.storedLength(), entry.rawLength());
          if (out.length < entry.rawLength()) {
            out = new byte[entry.rawLength()];
          }
          try {
            byte[] plain = out;
            int plainOffset = 0;
            if (spanRead) {
              plain = reader.openAndCheck(location, span, (int) (entry.offset() - start), entry.storedLength(), out);
              plainOffset = reader.plainOffset();
            } else {
              reader.read(location, out);
            }
            if (signer != null && entry.type() == PackEntry.DATA) {
              signed.add(new SignatureStore.Entry(entry.offset(), signature(reader, signer, entry, plain, plainOffset)));
            }
          } catch (RepositoryException e) {
            problems.add(new VerifyReport.Problem(kindOf(e), pack.id().hex(), entry.id().hex(), e.getMessage(), List.of()));
          }
        }
        first = last + 1;
      }
    }
    if (signatures != null) {
      signatures.write(pack.id(), signed);
    }
    return problems;
  }

  private static ChunkSignature signature(ChunkReader reader, BlockSigner signer, PackEntry entry, byte[] plain, int plainOffset) {
    long[] blocks = signer.blocks(plain, plainOffset, entry.rawLength());
    return reader.lastWasDelta() ? ChunkSignature.ofDelta(entry.id(), entry.rawLength(), ChunkDelta.parse(reader.lastDelta()), blocks)
        : ChunkSignature.whole(entry.id(), entry.rawLength(), blocks);
  }

  /** Streams every snapshot's tree; records missing chunks and which files use damaged ones. */
  private Map<ChunkId, List<String>> mapToFiles(List<Snapshot> snapshots, ChunkIndex index,
                                                Map<ChunkId, VerifyReport.Problem> damaged, List<VerifyReport.Problem> problems) {
    Map<ChunkId, List<String>> usage = new HashMap<>();
    for (Snapshot snapshot : snapshots) {
      String name = snapshot.id().shortHex();
      for (ChunkId treeChunk : snapshot.treeChunks()) {
        if (damaged.containsKey(treeChunk) || !index.contains(treeChunk)) {
          usage.computeIfAbsent(treeChunk, k -> new ArrayList<>()).add(name + ":(tree: the whole snapshot)");
        }
      }
      Set<ChunkId> reportedMissing = new HashSet<>();
      try (TreeStream tree = new TreeStream(snapshot.treeChunks(), new ChunkReader(repository.packs(), index,
          repository.key(), repository.config().maxChunk()))) {
        while (tree.hasNext()) {
          TreeNode node = tree.next();
          for (ChunkId chunk : node.chunks()) {
            if (damaged.containsKey(chunk)) {
              usage.computeIfAbsent(chunk, k -> new ArrayList<>()).add(name + ":" + node.path());
            } else if (!index.contains(chunk) && reportedMissing.add(chunk)) {
              problems.add(new VerifyReport.Problem(VerifyReport.Kind.MISSING_CHUNK, null, chunk.hex(),
                  "Chunk " + chunk.shortHex() + " is in no index file.", List.of()));
              usage.computeIfAbsent(chunk, k -> new ArrayList<>()).add(name + ":" + node.path());
            } else if (!index.contains(chunk)) {
              usage.get(chunk).add(name + ":" + node.path());
            }
          }
        }
      } catch (RepositoryException e) {
        problems.add(new VerifyReport.Problem(VerifyReport.Kind.DAMAGED_SNAPSHOT, null, null,
            "The tree of snapshot " + name + " cannot be read completely: " + e.getMessage(), List.of(name + ":(tree)")));
      }
    }
    return usage;
  }

  static VerifyReport.Kind kindOf(RepositoryException e) {
    if (e instanceof PackMissingException) {
      return VerifyReport.Kind.MISSING_PACK;
    }
    if (e instanceof PackTruncatedException) {
      return VerifyReport.Kind.TRUNCATED_PACK;
    }
    if (e instanceof ChunkMisplacedException) {
      return VerifyReport.Kind.MISPLACED_CHUNK;
    }
    if (e instanceof ChunkCorruptedException) {
      return VerifyReport.Kind.CORRUPTED_CHUNK;
    }
    return VerifyReport.Kind.TAMPERED_PACK;
  }
}
