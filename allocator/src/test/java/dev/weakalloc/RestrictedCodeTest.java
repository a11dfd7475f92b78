package dev.weakalloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.MemberRefEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The restricted-code rule (STYLE habit 4): only {@code dev.weakalloc.internal.nativemem} may use
 * {@code Linker}, {@code SymbolLookup} or {@code MemorySegment.reinterpret}. Scans the constant
 * pools of the module's compiled classes.
 */
class RestrictedCodeTest {
  private static final String NATIVE_PACKAGE = "dev/weakalloc/internal/nativemem/";
  private static final Set<String> RESTRICTED_CLASSES =
      Set.of("java/lang/foreign/Linker", "java/lang/foreign/SymbolLookup");

  /** {@return for each main class, the restricted things it references} */
  private static Map<String, Set<String>> restrictedUses() throws IOException, URISyntaxException {
    Path classes = Path.of(WeakAlloc.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(classes).as("main classes directory").isDirectory();
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        ClassModel model = ClassFile.of().parse(file);
        Set<String> found = new TreeSet<>();
        for (PoolEntry entry : model.constantPool()) {
          if (entry instanceof ClassEntry c && RESTRICTED_CLASSES.contains(c.asInternalName())) {
            found.add(c.asInternalName());
          } else if (entry instanceof MemberRefEntry m
              && m.owner().asInternalName().equals("java/lang/foreign/MemorySegment")
              && m.name().equalsString("reinterpret")) {
            found.add("MemorySegment.reinterpret");
          }
        }
        uses.put(model.thisClass().asInternalName(), found);
      }
    }
    return uses;
  }

  @Test
  void restrictedApis_usedOnlyInTheNativePackage() throws Exception {
    Map<String, Set<String>> uses = restrictedUses();

    List<String> offenders =
        uses.entrySet().stream()
            .filter(e -> !e.getValue().isEmpty() && !e.getKey().startsWith(NATIVE_PACKAGE))
            .map(e -> e.getKey() + " uses " + e.getValue())
            .toList();
    assertThat(offenders).isEmpty();
  }

  @Test
  void restrictedApis_scannerSeesTheNativePackage() throws Exception {
    // Proves the scan works: the system allocator does use all three.
    Map<String, Set<String>> uses = restrictedUses();

    assertThat(uses).containsKey("dev/weakalloc/WeakAlloc");
    assertThat(uses.get(NATIVE_PACKAGE + "SystemAllocator"))
        .contains("java/lang/foreign/Linker", "java/lang/foreign/SymbolLookup", "MemorySegment.reinterpret");
  }
}
