package dev.weakalloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The admission decision alone: frequency against the planned victims'. */
class AdmissionPolicyTest {
  private static final int NEVER_WINS_DRAW = 1; // (1 & 127) != 0
  private static final int ALWAYS_WINS_DRAW = 0;

  private static WeakRef<byte[]> victim(long hash) {
    WeakRef<byte[]> ref = new WeakRef<>(null, Codecs.bytes(), null, 0, 0, 16);
    ref.admissionHash = hash;
    return ref;
  }

  private static void record(AdmissionPolicy policy, long hash, int times) {
    for (int i = 0; i < times; i++) {
      policy.record(hash);
    }
  }

  @Test
  void admits_colderCandidate_refusesAndCounts() {
    AdmissionPolicy policy = new AdmissionPolicy(() -> NEVER_WINS_DRAW);
    record(policy, 1, 3);
    record(policy, 2, 1);

    assertThat(policy.admits(2, victim(1))).isFalse();
    assertThat(policy.admits(3, List.of(victim(1)))).isFalse();
    assertThat(policy.refused()).isEqualTo(2);
  }

  @Test
  void admits_candidateRefusedRecently_isAdmittedWhenItComesBack() {
    AdmissionPolicy policy = new AdmissionPolicy(() -> NEVER_WINS_DRAW);
    record(policy, 1, 9);
    record(policy, 2, 1);

    assertThat(policy.admits(2, victim(1))).isFalse();
    assertThat(policy.admits(2, victim(1))).isTrue(); // back while its refusal is remembered
    assertThat(policy.admits(2, victim(1))).isFalse(); // admitted once: forgotten
    assertThat(policy.refused()).isEqualTo(2);
  }

  @Test
  void admits_refusalsForgotten_whenNewerOnesTakeTheirSlots() {
    AdmissionPolicy policy = new AdmissionPolicy(() -> NEVER_WINS_DRAW);
    record(policy, 1, 15);
    assertThat(policy.admits(1_000_000, victim(1))).isFalse();
    for (int hash = 0; hash < 10_000; hash++) {
      policy.admits(hash + 2_000_000, victim(1)); // every slot of the 16 taken many times over
    }

    assertThat(policy.admits(1_000_000, victim(1))).isFalse();
  }

  @Test
  void admits_equallyFrequentCandidate_refuses() {
    AdmissionPolicy policy = new AdmissionPolicy(() -> NEVER_WINS_DRAW);
    record(policy, 1, 2);
    record(policy, 2, 2);

    assertThat(policy.admits(2, victim(1))).isFalse();
  }

  @Test
  void admits_warmerCandidate_admits() {
    AdmissionPolicy policy = new AdmissionPolicy(() -> NEVER_WINS_DRAW);
    record(policy, 1, 2);
    record(policy, 2, 3);

    assertThat(policy.admits(2, victim(1))).isTrue();
    assertThat(policy.refused()).isZero();
  }

  @Test
  void admits_severalVictims_mustBeatTheHottest() {
    AdmissionPolicy policy = new AdmissionPolicy(() -> NEVER_WINS_DRAW);
    record(policy, 1, 1);
    record(policy, 2, 5);
    record(policy, 3, 4);

    assertThat(policy.admits(3, List.of(victim(1), victim(2)))).isFalse();
    assertThat(policy.admits(3, List.of(victim(1)))).isTrue();
  }

  @Test
  void admits_withoutHashes_candidateAlwaysAdmittedAndVictimNeverSeen() {
    AdmissionPolicy policy = new AdmissionPolicy(() -> NEVER_WINS_DRAW);
    record(policy, 1, 9);
    policy.record(AdmissionPolicy.NO_HASH);

    assertThat(policy.admits(AdmissionPolicy.NO_HASH, victim(1))).isTrue();
    assertThat(policy.admits(1, victim(AdmissionPolicy.NO_HASH))).isTrue();
    assertThat(policy.admits(2, victim(AdmissionPolicy.NO_HASH))).isFalse(); // never seen: 0 > 0
  }

  @Test
  void admits_warmLoser_admittedOnlyByTheDraw() {
    AdmissionPolicy lucky = new AdmissionPolicy(() -> ALWAYS_WINS_DRAW);
    AdmissionPolicy unlucky = new AdmissionPolicy(() -> NEVER_WINS_DRAW);
    for (AdmissionPolicy policy : List.of(lucky, unlucky)) {
      record(policy, 1, 15);
      record(policy, 2, AdmissionPolicy.WARM);
      record(policy, 3, AdmissionPolicy.WARM - 1);
    }

    assertThat(lucky.admits(2, victim(1))).isTrue();
    assertThat(unlucky.admits(2, victim(1))).isFalse();
    assertThat(lucky.admits(3, victim(1))).isFalse(); // not warm: no draw
  }

  @Test
  void record_negativeAndLargeHashes_useTheIntHash() {
    AdmissionPolicy policy = new AdmissionPolicy(() -> NEVER_WINS_DRAW);
    record(policy, -5, 4);
    assertThat(policy.frequency(-5)).isEqualTo(4);
    assertThat(policy.frequency(AdmissionPolicy.NO_HASH)).isZero();
  }
}
