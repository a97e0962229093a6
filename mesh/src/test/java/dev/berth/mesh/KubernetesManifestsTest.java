package dev.berth.mesh;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.config.ConfigLoader;
import dev.berth.config.HostConfig;
import dev.berth.config.MeshConfig;
import dev.berth.service.ServiceKinds;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/k8s parsed with the fabric8 Kubernetes model (unknown fields fail), checked to fit
 * together, and its berth config loaded by berth's own loader.
 */
class KubernetesManifestsTest {

    private static final Path DIR = Path.of("..", "deploy", "k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private static <T> T read(String file, Class<T> type) throws IOException {
        return YAML.readValue(Files.readString(DIR.resolve(file)), type);
    }

    @Test
    void theServiceIsHeadlessAndSelectsTheStatefulSetsPods() throws IOException {
        Service service = read("service.yaml", Service.class);
        StatefulSet set = read("statefulset.yaml", StatefulSet.class);
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(set.getSpec().getServiceName()).isEqualTo(service.getMetadata().getName());
        assertThat(set.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(set.getSpec().getSelector().getMatchLabels()).isEqualTo(service.getSpec().getSelector());
        Container berth = set.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(berth.getPorts()).anySatisfy(p -> {
            assertThat(p.getName()).isEqualTo("mesh");
            assertThat(p.getContainerPort()).isEqualTo(service.getSpec().getPorts().getFirst().getPort());
        });
    }

    @Test
    void theConfigMapHoldsABerthConfigWhoseMembersAreTheHeadlessServicesDnsName() throws IOException {
        ConfigMap map = read("configmap.yaml", ConfigMap.class);
        StatefulSet set = read("statefulset.yaml", StatefulSet.class);
        Service service = read("service.yaml", Service.class);
        assertThat(set.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> assertThat(v.getConfigMap().getName()).isEqualTo(map.getMetadata().getName()));
        String text = map.getData().get("berth.yaml");
        HostConfig config = ConfigLoader.parse(Path.of("/etc/berth/berth.yaml"), text, ServiceKinds.installed().names());
        ServiceKinds.installed().settings(config);
        MeshConfig mesh = config.mesh().orElseThrow();
        assertThat(mesh.members()).isInstanceOfSatisfying(MeshConfig.Members.Dns.class, dns -> {
            assertThat(dns.name()).isEqualTo(service.getMetadata().getName());
            assertThat(dns.port()).isEqualTo(service.getSpec().getPorts().getFirst().getPort());
        });
        assertThat(mesh.node()).as("named after the pod").isEmpty();
        assertThat(set.getSpec().getTemplate().getSpec().getContainers().getFirst().getCommand())
                .contains("/etc/berth/berth.yaml");
    }
}
